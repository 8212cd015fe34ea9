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

    public static void Map(RouteGroupBuilder api)
    {
        var assets = api.MapGroup("/assets").WithTags("Assets");
        assets.MapGet("/", ListAsync).Produces<IReadOnlyList<AssetView>>().WithSummary("Every asset with its latest status.");
        assets.MapGet("/{**key}", GetAsync).Produces<AssetView>().Produces<IReadOnlyList<EventView>>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("An asset with the status of each partition (GET /api/assets/{key}), or its materializations, newest first (GET /api/assets/{key}/materializations?partition=&limit=).");
    }

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var statuses = (await runtime.Instance.Events.GetAllStatusesAsync(ct)).ToLookup(s => s.Asset);
        return Results.Ok(runtime.Graph.Assets.Select(k => View(runtime.Graph, k, statuses[k].ToList(), withPartitions: false)).ToList());
    }

    private static async Task<IResult> GetAsync(string key, string? partition, int? limit, LakehouseRuntime runtime, CancellationToken ct)
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
        var statuses = await runtime.Instance.Events.GetPartitionStatusesAsync(parsed, ct);
        return Results.Ok(View(runtime.Graph, parsed, statuses, withPartitions: true));
    }

    private static AssetKey? Known(AssetGraph graph, string text) => AssetPage.TryKey(text, out var key) && graph.Contains(key) ? key : null;

    private static AssetView View(AssetGraph graph, AssetKey key, IReadOnlyList<AssetPartitionStatus> statuses, bool withPartitions)
    {
        var spec = graph.Spec(key);
        return new AssetView(key.Value, spec.EffectiveGroup, spec.Description,
            graph.Parents(key).Select(k => k.Value).ToList(), graph.Children(key).Select(k => k.Value).ToList(),
            spec.Partitions?.DimensionNames, spec.Checks.Select(c => c.Name).ToList(), AssetStatus.Summary(statuses),
            withPartitions ? statuses.Select(s => new PartitionStatusView(s.Partition?.Value, AssetStatus.Of(s.State), s.RunId, s.UpdatedAt, s.LastMaterializedAt)).ToList() : null);
    }
}
