using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Observability;

/// <summary>Writes step summaries to the observability bucket, deriving the figures from the materialization's metadata.</summary>
public sealed class StepSummaryWriter(IObjectStoreProvider objects)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The key of a step's summary; the step text is made file-name safe.</summary>
    public static string KeyOf(string runId, StepKey step) =>
        $"runs/{runId}/{string.Concat(step.ToString().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '.' ? c : '_'))}.json";

    public async Task<string> WriteAsync(StepSummary summary, StepKey step, CancellationToken cancellationToken)
    {
        var key = KeyOf(summary.RunId, step);
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(summary, Json));
        await objects.For(Layers.Observability).PutAsync(key, body, null, cancellationToken);
        return key;
    }

    /// <summary>Builds a summary from the conventional metadata keys (rows_in, rows_out, rows_quarantined, table, snapshot_id, input_paths).</summary>
    public static StepSummary FromMetadata(string runId, StepKey step, string status, int attempt, long durationMs, string? error, IReadOnlyDictionary<string, MetadataValue> metadata) => new()
    {
        RunId = runId,
        Asset = step.Asset.Value,
        Partition = step.Partition?.Value,
        Step = step.ToString(),
        Status = status,
        Attempt = attempt,
        DurationMs = durationMs,
        Error = error,
        RowsIn = Long(metadata, "rows_in"),
        RowsOut = Long(metadata, "rows_out"),
        RowsQuarantined = Long(metadata, "rows_quarantined"),
        SnapshotId = Long(metadata, "snapshot_id"),
        OutputTable = metadata.TryGetValue("table", out var t) ? t.Display() : null,
        InputPaths = metadata.TryGetValue("input_paths", out var p) && p.Value.ValueKind == JsonValueKind.Array
            ? p.Value.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [],
    };

    private static long? Long(IReadOnlyDictionary<string, MetadataValue> metadata, string key) =>
        metadata.TryGetValue(key, out var v) && v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt64(out var n) ? n : null;
}
