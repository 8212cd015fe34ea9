using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Dashboard.Pages;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>
/// /api/assets: the list, one asset (<c>/api/assets/silver/fact_telemetry_event</c>) and its materializations
/// (<c>/api/assets/silver/fact_telemetry_event/materializations</c>). Keys contain '/', so one catch-all route serves both
/// and the trailing <c>materializations</c> segment is split off when the rest is an asset.
/// </summary>
internal static class AssetsApi
{
    private const string MaterializationsSegment = "/materializations";
    /// <summary>Partitions per page of GET /api/assets/{key}: a million-partition asset answers with counts and one page.</summary>
    public const int PartitionPage = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        var assets = api.MapGroup("/assets").WithTags("Assets");
        assets.MapGet("/", ListAsync).Produces<IReadOnlyList<AssetView>>().WithSummary("Every asset with its latest status.");
        assets.MapGet("/{**key}", GetAsync).Produces<AssetView>().Produces<IReadOnlyList<EventView>>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("An asset with its partition counts and the status of each partition, a page of at most `limit` (default and most 10000) after the partition `after` (GET /api/assets/{key}?after=&limit=; `partitions_after` names the next page's start), or its materializations, newest first (GET /api/assets/{key}/materializations?partition=&limit=).");
    }

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var counts = (await runtime.Instance.Events.GetStatusCountsAsync(null, ct)).ToDictionary(s => s.Asset);
        return Results.Ok(runtime.Graph.Assets.Select(k => View(runtime.Graph, k, counts.GetValueOrDefault(k) ?? AssetStatusCounts.None(k), null)).ToList());
    }

    private static async Task<IResult> GetAsync(string key, string? partition, string? after, int? limit, LakehouseRuntime runtime, CancellationToken ct)
    {
        var text = key.TrimEnd('/');
        if (text.EndsWith(MaterializationsSegment, StringComparison.Ordinal) && Known(runtime.Graph, text[..^MaterializationsSegment.Length]) is { } asset)
        {
            if (limit is < 1 or > 10_000) return ErrorHandling.Problem(400, "Bad request", "limit must be between 1 and 10000.");
            var events = await runtime.Instance.Events.QueryAsync(new EventQuery
            {
                Asset = asset,
                Partition = string.IsNullOrWhiteSpace(partition) ? null : runtime.Graph.Spec(asset).Partitions?.Parse(partition)
                    ?? throw new FormatException($"Asset {asset} is not partitioned; drop the partition filter."),
                Types = [EventType.Materialization],
                Descending = true,
                Limit = limit ?? 100,
            }, ct);
            return Results.Ok(events.Select(EventView.Of).ToList());
        }
        if (!AssetPage.TryKey(text, out var parsed))
            return ErrorHandling.Problem(400, "Bad request", $"'{text}' is not an asset key: use path parts of letters, digits, '_', '-' or '.', joined by '/'.");
        if (!runtime.Graph.Contains(parsed)) return ErrorHandling.Problem(404, "Not found", $"There is no asset '{parsed}'.");
        if (limit is < 1 or > PartitionPage) return ErrorHandling.Problem(400, "Bad request", $"limit must be between 1 and {PartitionPage}.");
        var size = limit ?? PartitionPage;
        var counts = (await runtime.Instance.Events.GetStatusCountsAsync(parsed, ct)).SingleOrDefault() ?? AssetStatusCounts.None(parsed);
        var page = await runtime.Instance.Events.GetPartitionStatusPageAsync(parsed, string.IsNullOrEmpty(after) ? null : new Lakehouse.Core.Partitions.PartitionKey(after), size, ct);
        return Results.Ok(View(runtime.Graph, parsed, counts, page) with { PartitionsAfter = page.Count == size ? page[^1].Partition?.Value : null });
    }

    private static AssetKey? Known(AssetGraph graph, string text) => AssetPage.TryKey(text, out var key) && graph.Contains(key) ? key : null;

    private static AssetView View(AssetGraph graph, AssetKey key, AssetStatusCounts counts, IReadOnlyList<AssetPartitionStatus>? page)
    {
        var spec = graph.Spec(key);
        return new AssetView(key.Value, spec.EffectiveGroup, spec.Description,
            graph.Parents(key).Select(k => k.Value).ToList(), graph.Children(key).Select(k => k.Value).ToList(),
            spec.Partitions?.DimensionNames, spec.Checks.Select(c => c.Name).ToList(), AssetStatus.Summary(counts),
            page?.Select(s => new PartitionStatusView(s.Partition?.Value, AssetStatus.Of(s.State), s.RunId, s.UpdatedAt, s.LastMaterializedAt)).ToList())
        {
            Counts = AssetStatus.Counts(counts),
        };
    }
}
