using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Ledger;

namespace TmLakehouse.Dashboard.Api;

/// <summary>/api/ledger: the ledger's rows, newest first (filter by batch, key prefix, layer), and one row with its object's state.</summary>
internal static class LedgerApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var ledger = api.MapGroup("/ledger").WithTags("Ledger");
        ledger.MapGet("/", ListAsync).Produces<IReadOnlyList<LedgerView>>().ProducesProblem(400)
            .WithSummary("Ledger rows, newest first: every object the lake stores. Filter by batch (a manifest's batch_id), key (a key or key prefix), layer; limit (default 100).");
        ledger.MapGet("/{id:long}", GetAsync).Produces<LedgerView>().ProducesProblem(404)
            .WithSummary("One ledger row; 'object' says whether its object is in place and carries this ledger id (in_place, missing, mismatch).");
    }

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, string? batch, string? key, string? layer, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 10_000) return ErrorHandling.Problem(400, "Bad request", $"limit must be between 1 and 10000, not {limit}.");
        var rows = await runtime.Instance.Ledger.QueryAsync(new LedgerQuery
        {
            BatchId = Empty(batch),
            KeyPrefix = Empty(key),
            Layer = Empty(layer),
            Limit = limit ?? 100,
        }, ct);
        return Results.Ok(rows.Select(r => View(runtime, r)).ToList());
    }

    private static async Task<IResult> GetAsync(long id, LakehouseRuntime runtime, CancellationToken ct)
    {
        var entry = await runtime.Instance.Ledger.GetAsync(id, ct);
        if (entry is null) return ErrorHandling.Problem(404, "Not found", $"There is no ledger row {id}.");
        return Results.Ok(View(runtime, entry) with { Object = await LedgerObjectCheck.CheckAsync(runtime.Resources.Objects, entry, ct) });
    }

    public static LedgerView View(LakehouseRuntime runtime, LedgerEntry entry) =>
        LedgerView.Of(entry, runtime.Resources.Objects.For(entry.Layer).LocationOf(entry.Key));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
