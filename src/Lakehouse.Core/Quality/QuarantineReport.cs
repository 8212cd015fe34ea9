using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lakehouse.Core.Quality;

/// <summary>
/// Why rows or a whole input were rejected: reason counts, the thresholds in force, sample rows, the input and the step.
/// Stored as <c>report.json</c> at <c>&lt;layer&gt;/course_id=&lt;id&gt;/ingest_date=&lt;d&gt;/run_id=&lt;run&gt;/</c> in the quarantine bucket.
/// </summary>
public sealed record QuarantineReport
{
    [JsonPropertyName("layer")] public required string Layer { get; init; }
    [JsonPropertyName("asset")] public required string Asset { get; init; }
    [JsonPropertyName("step")] public required string Step { get; init; }
    [JsonPropertyName("run_id")] public required string RunId { get; init; }
    /// <summary>The partition's dimension values (course_id, ingest_date).</summary>
    [JsonPropertyName("partition")] public IReadOnlyDictionary<string, string> Partition { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("input_paths")] public IReadOnlyList<string> InputPaths { get; init; } = [];
    /// <summary>True when the whole step failed (a gate or a bad file), false when only some rows were set aside.</summary>
    [JsonPropertyName("step_failed")] public bool StepFailed { get; init; }
    /// <summary>One line a person can act on: the file, line and column for bad input, the gate and its numbers for a gate.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("rows_in")] public long RowsIn { get; init; }
    [JsonPropertyName("rows_quarantined")] public long RowsQuarantined { get; init; }
    [JsonPropertyName("reason_counts")] public IReadOnlyDictionary<string, long> ReasonCounts { get; init; } = new Dictionary<string, long>();
    [JsonPropertyName("thresholds")] public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("sample_rows")] public IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> SampleRows { get; init; } = [];
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Set by the writer: the key of the rejected-rows Parquet file, when rows were written.</summary>
    [JsonPropertyName("rows_file")] public string? RowsFile { get; init; }
}
