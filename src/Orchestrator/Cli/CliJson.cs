using System.Text.Json;
using System.Text.Json.Serialization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// The `--json` documents of `assets`, `runs` and `run show`: snake_case keys that stay stable, times in ISO 8601 UTC, and
/// 64-bit ids as strings (a JavaScript reader loses precision past 2^53).
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options);

    public sealed record RunDocument(string RunId, string Status, string Selection, IReadOnlyList<string> Partitions, IReadOnlyDictionary<string, string> Tags,
        string? ParentRunId, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<StepDocument>? Steps);

    public sealed record StepDocument(string Step, string Asset, string? Partition, string Status, int Attempt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
        string? Error, IReadOnlyList<AttemptDocument> Attempts);

    public sealed record AttemptDocument(int Number, string Outcome, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Reason);

    public sealed record AssetDocument(string Asset, string Group, IReadOnlyList<string> Partitions, DateTimeOffset? LastMaterializedAt,
        string? LastMaterializationEventId, IReadOnlyDictionary<string, int> Statuses);

    public static RunDocument Run(RunRecord run, IReadOnlyList<StepRecord>? steps = null, IReadOnlyDictionary<StepKey, IReadOnlyList<StepAttempt>>? attempts = null) =>
        new(run.RunId, Lower(run.Status), run.Selection, run.Partitions, run.Tags, run.ParentRunId, run.CreatedAt, run.StartedAt, run.EndedAt,
            steps?.Select(s => new StepDocument(s.Key.ToString(), s.Key.Asset.Value, s.Key.Partition?.Value, Lower(s.Status), s.Attempt, s.StartedAt, s.EndedAt, s.Error,
                (attempts?.GetValueOrDefault(s.Key) ?? []).Select(a => new AttemptDocument(a.Number, a.Outcome, a.StartedAt, a.EndedAt, a.Reason)).ToList())).ToList());

    public static AssetDocument Asset(AssetSpec spec, AssetStatusCounts counts) =>
        new(spec.Key.Value, spec.EffectiveGroup, spec.Partitions?.DimensionNames ?? [], counts.LastMaterializedAt,
            counts.LastMaterializationEventId?.ToString(System.Globalization.CultureInfo.InvariantCulture), States(counts));

    /// <summary>Partition counts keyed by the lower-case state, in name order: <c>{"failed": 1, "materialized": 6}</c>.</summary>
    public static IReadOnlyDictionary<string, int> States(AssetStatusCounts counts) =>
        counts.States.OrderBy(s => Lower(s.Key), StringComparer.Ordinal).ToDictionary(s => Lower(s.Key), s => s.Value);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
