using static TmLakehouse.Assets.Silver.RateText;
using System.Diagnostics;
using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Turns a partition's round exports (CSV or MongoDB JSON) into fact_telemetry_event and fact_device_health rows, applying every
/// rule of DATA_CONTRACT.md §3. Two streaming passes: the first finds the winner of each (round_id, location_index), the second
/// quarantines or writes winners (dedup comes first, so a fix exported twice is quarantined once). The caller commits the writers
/// only when <see cref="SilverResult.GateFailure"/> is null.
/// </summary>
public static class SilverTransform
{
    /// <summary>
    /// Rows per batch handed to the table writer, which encodes one batch while the next is parsed: smaller batches shorten
    /// the wait for the last one at commit and hold less in flight (Silver bench: 65,536 rows 9.4 s / 308 MB, 16,384 rows
    /// 7.4 s / 255 MB).
    /// </summary>
    public const int BatchRows = 16_384;
    public const int MaxQuarantinedRowsKept = 100_000;
    public const int MaxQuarantineSamples = 20;

    public const string ReasonNullRoundId = "null_round_id";
    public const string ReasonLatitude = "latitude_out_of_range";
    public const string ReasonLongitude = "longitude_out_of_range";
    public const string ReasonSwapped = "lat_lon_swapped";

    /// <exception cref="SilverInputException">An input is empty, binary, not UTF-8, malformed CSV/JSON, or not a round export.</exception>
    public static async Task<SilverResult> RunAsync(
        IReadOnlyList<SilverInput> inputs, string courseId, DateOnly ingestDate, ITableWriter telemetry, ITableWriter deviceHealth,
        SilverGates gates, LocalStaging staging, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var round = new RoundRecord();
        var malformed = new long[SilverColumn.Count + 1];
        using var dedup = new DedupIndex(staging);

        // Pass 1: which row wins each key, and which round gives each device-health row.
        long candidate = 0, roundOrdinal = 0;
        foreach (var input in inputs)
        {
            await using var reader = await OpenAsync(input, cancellationToken);
            while (await reader.ReadAsync(round, keysOnly: true, malformed, cancellationToken))
            {
                roundOrdinal++;
                if (round.Id is null) continue;
                if (round.CaptureLogs is not null) dedup.ObserveDeviceHealth(round.Id, roundOrdinal);
                dedup.Observe(round, ref candidate);
            }
        }

        dedup.EndObserving();

        // Pass 2: the same rows in the same order; write winners, set aside quarantined rows, count everything.
        var nulls = new long[SilverColumn.Count];
        var rows = new TelemetryBatchBuilder(withReason: false, nulls);
        var quarantine = new TelemetryBatchBuilder(withReason: true, new long[SilverColumn.Count]);
        var health = new DeviceHealthBatchBuilder();
        var quarantined = new List<RecordBatch>();
        var samples = new List<IReadOnlyDictionary<string, JsonElement>>();
        var reasons = new Dictionary<string, long>();
        long rowsIn = 0, rowsOut = 0, rowsQuarantined = 0, padding = 0, mismatched = 0, swapped = 0, healthRows = 0, bytes = 0, kept = 0;
        candidate = roundOrdinal = 0;
        foreach (var input in inputs)
        {
            await using var reader = await OpenAsync(input, cancellationToken);
            while (await reader.ReadAsync(round, keysOnly: false, malformed, cancellationToken))
            {
                roundOrdinal++;
                padding += round.PaddingSlots;
                rowsIn += round.LocationCount;
                if (round.Id is not null && round.CaptureLogs is not null && dedup.IsDeviceHealthWinner(round.Id, roundOrdinal))
                {
                    health.Append(courseId, ingestDate, round);
                    healthRows++;
                    if (health.IsFull) await deviceHealth.WriteAsync(health.Build(), cancellationToken);
                }
                var otherCourse = round.Course is not null && !string.Equals(round.Course, courseId, StringComparison.Ordinal);
                for (var i = 0; i < round.LocationCount; i++)
                {
                    ref var l = ref round.Locations[i];
                    // Dedup first: a losing copy is a duplicate whatever its coordinates; rows without a round id have no key.
                    if (round.Id is not null && !dedup.IsWinner(round.Id, l.Index, ++candidate)) continue;
                    if (IsSwapped(l)) swapped++;
                    var reason = QuarantineReason(round, l);
                    if (reason is not null)
                    {
                        rowsQuarantined++;
                        reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                        if (samples.Count < MaxQuarantineSamples) samples.Add(Sample(input.Name, round, l, reason));
                        if (kept++ < MaxQuarantinedRowsKept)
                        {
                            quarantine.Append(courseId, ingestDate, round, l, reason);
                            if (quarantine.IsFull) quarantined.Add(quarantine.Build());
                        }
                        continue;
                    }
                    rows.Append(courseId, ingestDate, round, l);
                    rowsOut++;
                    if (otherCourse) mismatched++;
                    if (rows.IsFull) await telemetry.WriteAsync(rows.Build(), cancellationToken);
                }
            }
            bytes += reader.BytesRead;
        }
        if (rows.Count > 0) await telemetry.WriteAsync(rows.Build(), cancellationToken);
        if (health.Count > 0) await deviceHealth.WriteAsync(health.Build(), cancellationToken);
        if (quarantine.Count > 0) quarantined.Add(quarantine.Build());

        var result = new SilverResult
        {
            CourseId = courseId,
            IngestDate = ingestDate,
            InputNames = inputs.Select(i => i.Name).ToList(),
            BytesRead = bytes,
            RoundsIn = roundOrdinal,
            RowsIn = rowsIn,
            RowsOut = rowsOut,
            RowsQuarantined = rowsQuarantined,
            RowsPadding = padding,
            RowsDeduplicated = dedup.Duplicates,
            CourseMismatchRows = mismatched,
            SwappedLatLonRows = swapped,
            TimestampMissingRows = nulls[SilverColumn.FixTimestamp],
            DeviceHealthRows = healthRows,
            UniqueKeys = dedup.Keys - (rowsQuarantined - reasons.GetValueOrDefault(ReasonNullRoundId)),
            NullCounts = Enumerable.Range(0, SilverColumn.Count).ToDictionary(SilverColumn.NameOf, c => nulls[c]),
            MalformedCounts = Enumerable.Range(0, SilverColumn.Count + 1).Where(c => malformed[c] > 0).ToDictionary(SilverColumn.NameOf, c => malformed[c]),
            QuarantineReasons = reasons,
            QuarantinedRows = quarantined,
            QuarantineSamples = samples,
            Gates = gates,
        };
        return result with { GateFailure = FailedGate(result, gates), Elapsed = clock.Elapsed };
    }

    private static async Task<IRoundReader> OpenAsync(SilverInput input, CancellationToken cancellationToken)
    {
        var stream = await SniffedStream.OpenAsync(input, cancellationToken);
        try
        {
            return stream.Format == InputFormat.Json
                ? new JsonRoundReader(input, stream)
                : await CsvRoundReader.OpenAsync(input, stream, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>DATA_CONTRACT §3 "Quarantine": a null round id, or a coordinate outside the globe.</summary>
    internal static string? QuarantineReason(RoundRecord round, in LocationRecord l)
    {
        if (string.IsNullOrEmpty(round.Id)) return ReasonNullRoundId;
        if (IsSwapped(l)) return ReasonSwapped;
        if (l.Latitude is { } lat && (lat < -90 || lat > 90)) return ReasonLatitude;
        if (l.Longitude is { } lon && (lon < -180 || lon > 180)) return ReasonLongitude;
        return null;
    }

    internal static bool IsSwapped(in LocationRecord l) =>
        l.Latitude is { } lat && l.Longitude is { } lon && Math.Abs(lat) > 90 && Math.Abs(lon) <= 90;

    private static SilverGateFailure? FailedGate(SilverResult r, SilverGates gates)
    {
        if (r.QuarantineRate > gates.MaxQuarantineRate)
            return new("max_quarantine_rate", r.QuarantineRate, gates.MaxQuarantineRate,
                $"quarantined-row rate {Percent(r.QuarantineRate)} ({r.RowsQuarantined} of {r.RowsIn - r.RowsDeduplicated} rows after dedup) is above the {Percent(gates.MaxQuarantineRate)} gate.");
        if (r.TimestampRate < gates.MinTimestampRate)
            return new("min_timestamp_rate", r.TimestampRate, gates.MinTimestampRate,
                $"fix_timestamp non-null rate {Percent(r.TimestampRate)} ({r.RowsOut - r.TimestampMissingRows} of {r.RowsOut} rows) is below the {Percent(gates.MinTimestampRate)} gate.");
        if (r.DuplicateRate > gates.MaxDuplicateRate)
            return new("max_duplicate_rate", r.DuplicateRate, gates.MaxDuplicateRate,
                $"duplicate-row rate {Percent(r.DuplicateRate)} ({r.RowsDeduplicated} of {r.RowsIn} rows) is above the {Percent(gates.MaxDuplicateRate)} gate.");
        return null;
    }

    private static IReadOnlyDictionary<string, JsonElement> Sample(string file, RoundRecord round, in LocationRecord l, string reason) =>
        new Dictionary<string, JsonElement>
        {
            ["file"] = JsonSerializer.SerializeToElement(file),
            [round.FromJson ? "round_number" : "line"] = JsonSerializer.SerializeToElement(round.Line),
            ["round_id"] = JsonSerializer.SerializeToElement(round.Id),
            ["location_index"] = JsonSerializer.SerializeToElement(l.Index),
            ["latitude"] = JsonSerializer.SerializeToElement(l.Latitude),
            ["longitude"] = JsonSerializer.SerializeToElement(l.Longitude),
            ["quarantine_reason"] = JsonSerializer.SerializeToElement(reason),
        };
}
