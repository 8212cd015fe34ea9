using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>/api/quarantine: every report (newest first) and one report by its id (the base64url of its key).</summary>
internal static class QuarantineApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var quarantine = api.MapGroup("/quarantine").WithTags("Quarantine");
        quarantine.MapGet("/", async (LakehouseRuntime runtime, CancellationToken ct) =>
                Results.Ok((await QuarantineReports.ReadAllAsync(runtime.Resources.Objects, ct)).Select(r => new QuarantineView(QuarantineIds.Of(r.Key), r.Key, r.Report)).ToList()))
            .RequireKeyToRead().Produces<IReadOnlyList<QuarantineView>>().ProducesProblem(401).WithSummary("Every quarantine report with its sample rows, newest first (needs the key when one is set).");
        quarantine.MapGet("/{id}", async (string id, LakehouseRuntime runtime, CancellationToken ct) =>
                await QuarantineReports.FindAsync(runtime.Resources.Objects, id, ct) is { } found
                    ? Results.Ok(new QuarantineView(id, found.Key, found.Report))
                    : ErrorHandling.Problem(404, "Not found", $"There is no quarantine report '{id}'."))
            .RequireKeyToRead().Produces<QuarantineView>().ProducesProblem(401).ProducesProblem(404).WithSummary("One quarantine report with its sample rows (needs the key when one is set).");
    }
}
