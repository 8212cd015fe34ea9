using static TmLakehouse.Assets.Silver.RateText;
using System.Diagnostics;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// One multi-asset computation: materializes one (course_id, ingest_date) partition of silver/fact_telemetry_event and
/// silver/fact_device_health in one read of that partition's Bronze files (reading a 1 GB export twice would double the cost),
/// replacing exactly that partition's rows in one commit per table, and reports a materialization for each.
/// </summary>
public sealed class SilverTelemetryAsset : IAsset
{
    public const string CourseDimension = "course_id";
    public const string IngestDateDimension = "ingest_date";

    public static AssetKey Key { get; } = new("silver/fact_telemetry_event");

    /// <summary>silver/fact_device_health: one row per round with captureLogs, written by the same step.</summary>
    public static AssetKey DeviceHealthKey { get; } = new("silver/fact_device_health");

    public static IReadOnlyList<AssetCheckSpec> Checks { get; } =
    [
        new("not_null_round_id", "Every row has a round_id (rows without one are quarantined)."),
        new("not_null_course_id", "Every row has a course_id."),
        new("fix_timestamp_rate", "The share of rows with a fix_timestamp is at least the gate."),
        new("accepted_range_lat_lon", "No written row has a latitude outside [-90, 90] or a longitude outside [-180, 180]."),
        new("unique_round_location", "(round_id, location_index) is unique in the partition."),
        new("duplicate_rate", "The share of duplicate rows is at most the gate."),
        new("swapped_lat_lon", "Rows whose latitude and longitude look swapped (warning).", AssetCheckSeverity.Warn, Blocking: false),
        new(FixInSectionCheck, "The share of fixes inside the spatial/course_sections polygon of their (hole, section); reported when the course has sections.",
            AssetCheckSeverity.Warn, Blocking: false),
    ];

    public const string FixInSectionCheck = "fix_in_section";

    public static IReadOnlyList<AssetCheckSpec> DeviceHealthChecks { get; } =
        [new AssetCheckSpec("not_null_round_id", "Every device-health row has a round_id.")];

    // Declared after the checks: static initializers run in order.
    public static AssetDefinition Definition { get; } = AssetDefinition.Multi(
    [
        new AssetSpec(Key)
        {
            Description = "One row per location fix of every round landed for a course and ingest date: padding skipped, duplicates resolved, " +
                          "out-of-range coordinates quarantined, behind timestamp/quarantine/duplicate gates. Also writes silver/fact_device_health in the same pass.",
            Partitions = Bronze.BronzePartitions.CourseByIngestDate,
            Deps = [new AssetDependency(Bronze.BronzeRoundsRawAsset.Key)],
            Checks = Checks,
            Automation = AutomationCondition.Eager,
            // Only transient failures (I/O) are retried; bad input and failed gates fail at once.
            Retry = new RetryPolicy(1, TimeSpan.FromSeconds(2)),
        },
        new AssetSpec(DeviceHealthKey)
        {
            Description = "Device capture logs, one row per round with non-empty captureLogs (written in the fact_telemetry_event pass).",
            Partitions = Bronze.BronzePartitions.CourseByIngestDate,
            Deps = [new AssetDependency(Bronze.BronzeRoundsRawAsset.Key)],
            Checks = DeviceHealthChecks,
            Automation = AutomationCondition.Eager,
        },
    ], new SilverTelemetryAsset());

    public async Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var courseId = context.PartitionValue(CourseDimension);
        var ingestText = context.PartitionValue(IngestDateDimension);
        if (!DateOnly.TryParseExact(ingestText, "yyyy-MM-dd", out var ingestDate))
            throw new FormatException($"Partition {context.Partition}: ingest_date '{ingestText}' is not a yyyy-MM-dd date.");
        var resources = context.Resources;
        // Bronze's own layout finds its files: the plan fixed which Bronze partitions this step reads.
        var files = await context.Inputs.ObjectsAsync(Bronze.BronzeRoundsRawAsset.Key, cancellationToken);
        var inputs = files.Select(f => new SilverInput(f.Name, f.OpenAsync)).ToList();
        var inputPaths = files.Select(f => f.Location).ToList();
        var gates = SilverGates.From(resources.Options);
        var quarantine = new QuarantineWriter(resources.Objects);
        QuarantineReport Report(bool failed, string? error) => new()
        {
            Layer = Layers.Silver,
            Asset = context.AssetKey.Value,
            Step = context.Step.ToString(),
            RunId = context.RunId,
            Partition = new Dictionary<string, string> { [CourseDimension] = courseId, [IngestDateDimension] = ingestText },
            InputPaths = inputPaths,
            StepFailed = failed,
            Error = error,
            Thresholds = gates.AsDictionary(),
            CreatedAt = context.Clock.GetUtcNow(),
        };

        if (inputs.Count == 0)
        {
            var folder = context.Inputs.LocationOf(Bronze.BronzeRoundsRawAsset.Key, context.Partition);
            var error = $"no Bronze files under {folder}: land the partition's exports first.";
            await quarantine.WriteAsync(Report(true, error), null, cancellationToken);
            throw new SilverInputException(folder, null, null, error);
        }

        var telemetryTable = await resources.Tables.CreateOrLoadAsync(SilverTables.TelemetryEvent, cancellationToken);
        var healthTable = await resources.Tables.CreateOrLoadAsync(SilverTables.DeviceHealth, cancellationToken);
        var partition = RowFilter.Where((CourseDimension, courseId), (IngestDateDimension, ingestDate));
        await using var telemetry = telemetryTable.NewReplace(partition);
        await using var health = new DeviceHealthTally(healthTable.NewReplace(partition));

        SilverResult result;
        try
        {
            result = await SilverTransform.RunAsync(inputs, courseId, ingestDate, telemetry, health, gates, resources.Objects.Staging, cancellationToken);
        }
        catch (SilverInputException e)
        {
            var key = await quarantine.WriteAsync(Report(true, e.Message), null, cancellationToken);
            context.Log.Error("Silver input rejected: {Reason} (report {Report})", e.Message, key);
            throw;
        }
        context.Log.Information("Silver read {Bytes} bytes, {RowsIn} rows in {Elapsed} ms: {RowsOut} out, {Quarantined} quarantined, {Duplicates} duplicates",
            result.BytesRead, result.RowsIn, (long)result.Elapsed.TotalMilliseconds, result.RowsOut, result.RowsQuarantined, result.RowsDeduplicated);

        QuarantineReport RowsReport(bool failed, string? error) => Report(failed, error) with
        {
            RowsIn = result.RowsIn,
            RowsQuarantined = result.RowsQuarantined,
            ReasonCounts = result.QuarantineReasons,
            SampleRows = result.QuarantineSamples,
        };
        if (result.GateFailure is { } gate)
        {
            var key = await quarantine.WriteAsync(RowsReport(true, gate.Message), result.QuarantinedRows, cancellationToken);
            throw new SilverGateException(gate, key);
        }
        var reportKey = result.RowsQuarantined > 0
            ? await quarantine.WriteAsync(RowsReport(false, null), result.QuarantinedRows, cancellationToken)
            : null;

        var telemetryCommit = await telemetry.CommitAsync(context.SnapshotSummary, cancellationToken);
        var healthCommit = await health.CommitAsync(context.SnapshotSummaryOf(DeviceHealthKey), cancellationToken);
        var metadata = Metadata(result, telemetryCommit, healthCommit, inputPaths, reportKey, clock.Elapsed);
        var checks = CheckResults(result);
        if (await Spatial.Sections.SectionIndex.LoadAsync(resources.Tables, courseId, cancellationToken) is { } sections)
        {
            var fixes = await Spatial.Sections.FixInSection.CountAsync(telemetryTable, telemetryCommit.SnapshotId, partition, sections, cancellationToken);
            metadata["fix_in_section_rate"] = MetadataValue.Float(fixes.Rate);
            metadata["fix_in_section_counts"] = MetadataValue.Json(new Dictionary<string, long> { ["inside"] = fixes.Inside, ["outside"] = fixes.Outside, ["no_polygon"] = fixes.NoPolygon });
            var spec = Checks.First(c => c.Name == FixInSectionCheck);
            checks.Add(new AssetCheckResult(FixInSectionCheck, fixes.Outside == 0, spec.Severity, spec.Blocking)
            {
                Description = $"{Percent(fixes.Rate)} of fixes with a section polygon are inside it ({fixes.Outside} outside); {fixes.NoPolygon} fixes have no polygon for their section.",
                Metadata = new Dictionary<string, MetadataValue>
                {
                    ["rate"] = MetadataValue.Float(fixes.Rate),
                    ["outside"] = MetadataValue.Int(fixes.Outside),
                    ["no_polygon"] = MetadataValue.Int(fixes.NoPolygon),
                    ["sections"] = MetadataValue.Int(sections.Count),
                },
            });
        }
        return new MaterializeResult
        {
            Metadata = metadata,
            CheckResults = checks,
            Others = [DeviceHealthResult(result, health, healthCommit, inputPaths, clock.Elapsed)],
        };
    }

    private static MaterializeResult DeviceHealthResult(SilverResult r, DeviceHealthTally health, TableCommit commit, IReadOnlyList<string> inputPaths, TimeSpan elapsed) => new()
    {
        AssetKey = DeviceHealthKey,
        Metadata = new Dictionary<string, MetadataValue>
        {
            ["rows_out"] = MetadataValue.Int(r.DeviceHealthRows),
            ["log_entries"] = MetadataValue.Int(health.LogEntries),
            ["files_written"] = MetadataValue.Int(commit.AddedFiles),
            ["bytes_written"] = MetadataValue.Int(commit.AddedBytes),
            ["input_paths"] = MetadataValue.Json(inputPaths),
            ["table"] = MetadataValue.Text(SilverTables.DeviceHealth.Id.ToString()),
            ["snapshot_id"] = MetadataValue.Int(commit.SnapshotId),
            ["duration_ms"] = MetadataValue.Int((long)elapsed.TotalMilliseconds),
            ["schema"] = MetadataValue.TableSchema(SilverTables.DeviceHealth.Schema.Fields
                .Select(f => new TableColumnInfo(f.Name, f.Type.ToString().ToLowerInvariant(), !f.Required))),
        },
        CheckResults =
        [
            new AssetCheckResult("not_null_round_id", health.NullRoundIds == 0) { Description = $"{health.NullRoundIds} row(s) without round_id" },
        ],
    };

    private static Dictionary<string, MetadataValue> Metadata(SilverResult r, TableCommit telemetry, TableCommit health,
        IReadOnlyList<string> inputPaths, string? reportKey, TimeSpan elapsed)
    {
        var metadata = new Dictionary<string, MetadataValue>
        {
            ["rows_in"] = MetadataValue.Int(r.RowsIn),
            ["rows_out"] = MetadataValue.Int(r.RowsOut),
            ["rows_quarantined"] = MetadataValue.Int(r.RowsQuarantined),
            ["rows_padding"] = MetadataValue.Int(r.RowsPadding),
            ["rows_deduplicated"] = MetadataValue.Int(r.RowsDeduplicated),
            ["course_mismatch_rows"] = MetadataValue.Int(r.CourseMismatchRows),
            ["rounds_in"] = MetadataValue.Int(r.RoundsIn),
            ["device_health_rows"] = MetadataValue.Int(r.DeviceHealthRows),
            ["null_counts"] = MetadataValue.Json(r.NullCounts),
            ["malformed_counts"] = MetadataValue.Json(r.MalformedCounts),
            ["quarantine_reasons"] = MetadataValue.Json(r.QuarantineReasons),
            ["files_written"] = MetadataValue.Int(telemetry.AddedFiles + health.AddedFiles),
            ["bytes_written"] = MetadataValue.Int(telemetry.AddedBytes + health.AddedBytes),
            ["bytes_read"] = MetadataValue.Int(r.BytesRead),
            ["input_paths"] = MetadataValue.Json(inputPaths),
            ["table"] = MetadataValue.Text(SilverTables.TelemetryEvent.Id.ToString()),
            ["snapshot_id"] = MetadataValue.Int(telemetry.SnapshotId),
            ["device_health_table"] = MetadataValue.Text(SilverTables.DeviceHealth.Id.ToString()),
            ["device_health_snapshot_id"] = MetadataValue.Int(health.SnapshotId),
            ["duration_ms"] = MetadataValue.Int((long)elapsed.TotalMilliseconds),
            ["schema"] = MetadataValue.TableSchema(SilverTables.TelemetryEvent.Schema.Fields
                .Select(f => new TableColumnInfo(f.Name, f.Type.ToString().ToLowerInvariant(), !f.Required))),
        };
        if (reportKey is not null) metadata["quarantine_report"] = MetadataValue.Path(reportKey);
        return metadata;
    }

    private static List<AssetCheckResult> CheckResults(SilverResult r)
    {
        var g = r.Gates;
        AssetCheckResult Check(string name, bool passed, string description, params (string Key, MetadataValue Value)[] metadata)
        {
            var spec = Checks.First(c => c.Name == name);
            return new AssetCheckResult(name, passed, spec.Severity, spec.Blocking)
            {
                Description = description,
                Metadata = metadata.ToDictionary(m => m.Key, m => m.Value),
            };
        }
        var roundIdNulls = r.NullCounts.GetValueOrDefault("round_id");
        var courseIdNulls = r.NullCounts.GetValueOrDefault("course_id");
        return
        [
            Check("not_null_round_id", roundIdNulls == 0, $"{roundIdNulls} written rows without round_id; {r.QuarantineReasons.GetValueOrDefault(SilverTransform.ReasonNullRoundId)} quarantined.",
                ("null_rows", MetadataValue.Int(roundIdNulls))),
            Check("not_null_course_id", courseIdNulls == 0, $"{courseIdNulls} written rows without course_id.", ("null_rows", MetadataValue.Int(courseIdNulls))),
            Check("fix_timestamp_rate", r.TimestampRate >= g.MinTimestampRate, $"{Percent(r.TimestampRate)} of rows have a fix_timestamp (gate {Percent(g.MinTimestampRate, 0)}).",
                ("rate", MetadataValue.Float(r.TimestampRate)), ("threshold", MetadataValue.Float(g.MinTimestampRate))),
            Check("accepted_range_lat_lon", r.QuarantineRate <= g.MaxQuarantineRate,
                $"{r.RowsQuarantined} rows outside the globe or without a round were quarantined ({Percent(r.QuarantineRate)}, gate {Percent(g.MaxQuarantineRate, 0)}); none was written.",
                ("quarantined_rows", MetadataValue.Int(r.RowsQuarantined)), ("rate", MetadataValue.Float(r.QuarantineRate))),
            Check("unique_round_location", r.RowsOut == r.UniqueKeys, $"{r.RowsOut} rows written for {r.UniqueKeys} distinct (round_id, location_index) keys.",
                ("rows_out", MetadataValue.Int(r.RowsOut)), ("distinct_keys", MetadataValue.Int(r.UniqueKeys))),
            Check("duplicate_rate", r.DuplicateRate <= g.MaxDuplicateRate, $"{Percent(r.DuplicateRate)} of rows were duplicates (gate {Percent(g.MaxDuplicateRate, 0)}).",
                ("rate", MetadataValue.Float(r.DuplicateRate)), ("duplicates", MetadataValue.Int(r.RowsDeduplicated))),
            Check("swapped_lat_lon", r.SwappedLatLonRows == 0, $"{r.SwappedLatLonRows} rows look like latitude and longitude were swapped (quarantined).",
                ("rows", MetadataValue.Int(r.SwappedLatLonRows))),
        ];
    }
}
