using System.Text.Json.Serialization;

namespace Lakehouse.Core.Observability;

/// <summary>The run summary one step writes to <c>observability/runs/&lt;run_id&gt;/&lt;step&gt;.json</c> (DATA_CONTRACT.md §5).</summary>
public sealed record StepSummary
{
    [JsonPropertyName("run_id")] public required string RunId { get; init; }
    [JsonPropertyName("asset")] public required string Asset { get; init; }
    [JsonPropertyName("partition")] public string? Partition { get; init; }
    [JsonPropertyName("step")] public required string Step { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    [JsonPropertyName("input_paths")] public IReadOnlyList<string> InputPaths { get; init; } = [];
    [JsonPropertyName("output_table")] public string? OutputTable { get; init; }
    [JsonPropertyName("snapshot_id")] public long? SnapshotId { get; init; }
    [JsonPropertyName("rows_in")] public long? RowsIn { get; init; }
    [JsonPropertyName("rows_out")] public long? RowsOut { get; init; }
    [JsonPropertyName("rows_quarantined")] public long? RowsQuarantined { get; init; }
    [JsonPropertyName("duration_ms")] public long DurationMs { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
}
