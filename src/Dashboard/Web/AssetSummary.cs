using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Dashboard.Web;

/// <summary>
/// What the catalog and the graph say about one asset: partition counts by status, the last materialization, whether it is stale
/// (an upstream asset materialized after it did) and how many of its latest check results failed.
/// </summary>
internal sealed record AssetSummary(AssetKey Key, string Group, string Kind, string Status, IReadOnlyDictionary<string, int> Counts,
    DateTimeOffset? LastMaterializedAt, bool Stale, int FailedChecks)
{
    public static async Task<IReadOnlyList<AssetSummary>> ReadAllAsync(AssetGraph graph, IEventLogStore events, CancellationToken ct)
    {
        var byAsset = (await events.GetStatusCountsAsync(null, ct)).ToDictionary(s => s.Asset);
        var statuses = graph.Assets.ToDictionary(k => k, k => byAsset.GetValueOrDefault(k) ?? AssetStatusCounts.None(k));
        var last = graph.Assets.ToDictionary(k => k, k => statuses[k].LastMaterializedAt);
        var result = new List<AssetSummary>();
        foreach (var key in graph.Assets)
        {
            var spec = graph.Spec(key);
            var failed = 0;
            if (spec.Checks.Count > 0 || statuses[key].Total > 0)
            {
                var checks = await events.QueryAsync(new EventQuery { Asset = key, Types = [EventType.CheckResult], Descending = true, Limit = 500 }, ct);
                // Only each check's latest result per partition counts: a failure fixed by a later run is history, not a problem.
                failed = checks.Where(c => c.Check is not null).DistinctBy(c => (c.Check!.CheckName, c.Partition?.Value))
                    .Count(c => !c.Check!.Passed && c.Check.Severity == Lakehouse.Core.Quality.AssetCheckSeverity.Error);
            }
            var mine = last[key];
            var stale = mine is { } at && graph.Parents(key).Any(p => last.GetValueOrDefault(p) is { } parentAt && parentAt > at);
            var counts = AssetStatus.Counts(statuses[key]);
            result.Add(new AssetSummary(key, spec.EffectiveGroup, KindOf(graph.Get(key), spec), AssetStatus.Summary(statuses[key]), counts, mine, stale, failed));
        }
        return result;
    }

    /// <summary>How the asset is computed and stored: landed files, a SQL model, or C# code writing a table.</summary>
    public static string KindOf(AssetDefinition definition, AssetSpec spec) =>
        spec.Storage is ObjectFolderStorage ? "files"
        : definition.Compute.GetType().Name.Contains("SqlModel", StringComparison.Ordinal) ? "sql"
        : "code";

    /// <summary>"3 materialized · 1 failed", or "never materialized".</summary>
    public string CountsText => Counts.Count == 0 ? "never materialized" : string.Join(" · ", Counts.Select(c => $"{c.Value} {c.Key}"));
}
