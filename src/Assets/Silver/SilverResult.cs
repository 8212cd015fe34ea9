using System.Text.Json;
using Apache.Arrow;

namespace TmLakehouse.Assets.Silver;

/// <summary>What one Silver transform of a partition read, wrote, set aside and counted, and which gate failed (null when none).</summary>
public sealed record SilverResult
{
    public required string CourseId { get; init; }
    public required DateOnly IngestDate { get; init; }
    public IReadOnlyList<string> InputNames { get; init; } = [];
    public long BytesRead { get; init; }
    /// <summary>Round records read (a round exported twice counts twice).</summary>
    public long RoundsIn { get; init; }
    /// <summary>Non-padding location slots read.</summary>
    public long RowsIn { get; init; }
    /// <summary>Rows written to fact_telemetry_event.</summary>
    public long RowsOut { get; init; }
    /// <summary>Rows set aside after dedup: each winning fix outside the globe once, and every row without a round id.</summary>
    public long RowsQuarantined { get; init; }
    /// <summary>Empty location slots of narrower rounds in wide CSV files (never rows).</summary>
    public long RowsPadding { get; init; }
    /// <summary>Rows dropped because another row had the same (round_id, location_index) and won.</summary>
    public long RowsDeduplicated { get; init; }
    /// <summary>Written rows whose round's <c>course</c> is not the partition's course.</summary>
    public long CourseMismatchRows { get; init; }
    /// <summary>Fixes (after dedup) whose latitude and longitude look swapped (|lat| &gt; 90 and |lon| ≤ 90); they are quarantined too.</summary>
    public long SwappedLatLonRows { get; init; }
    /// <summary>Written rows with a null fix_timestamp.</summary>
    public long TimestampMissingRows { get; init; }
    public long DeviceHealthRows { get; init; }
    /// <summary>Distinct (round_id, location_index) keys whose winning row passed quarantine: what RowsOut must equal.</summary>
    public long UniqueKeys { get; init; }
    /// <summary>Null values per written fact_telemetry_event column.</summary>
    public IReadOnlyDictionary<string, long> NullCounts { get; init; } = new Dictionary<string, long>();
    /// <summary>Values that did not parse (so became null), per Silver column.</summary>
    public IReadOnlyDictionary<string, long> MalformedCounts { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> QuarantineReasons { get; init; } = new Dictionary<string, long>();
    /// <summary>The quarantined rows (telemetry columns + quarantine_reason), at most <see cref="SilverTransform.MaxQuarantinedRowsKept"/>.</summary>
    public IReadOnlyList<RecordBatch> QuarantinedRows { get; init; } = [];
    /// <summary>A few quarantined rows as JSON, for the quarantine report.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> QuarantineSamples { get; init; } = [];
    public SilverGates Gates { get; init; } = new();
    public SilverGateFailure? GateFailure { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Share of written rows with a fix_timestamp (1 when nothing was written).</summary>
    public double TimestampRate => RowsOut == 0 ? 1 : 1 - (double)TimestampMissingRows / RowsOut;
    /// <summary>Share of the rows left after dedup (which comes first) that were quarantined.</summary>
    public double QuarantineRate => RowsIn - RowsDeduplicated == 0 ? 0 : (double)RowsQuarantined / (RowsIn - RowsDeduplicated);
    /// <summary>Share of the rows read that were duplicates.</summary>
    public double DuplicateRate => RowsIn == 0 ? 0 : (double)RowsDeduplicated / RowsIn;
}
