using System.Globalization;
using System.Text.Json;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Backfills;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>/api/backfills: list, read one with its runs, and start one (needs the key); bodies in the snake_case of `tmlake backfill show --json`.</summary>
internal static class BackfillsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var backfills = api.MapGroup("/backfills").WithTags("Backfills");
        backfills.MapGet("/", ListAsync).Produces<IReadOnlyList<BackfillView>>().ProducesProblem(400).WithSummary("Recent backfills, newest first, with their progress.");
        backfills.MapGet("/{id}", GetAsync).Produces<BackfillView>().ProducesProblem(404).WithSummary("One backfill with its progress (done / failed / in flight / total, rate, ETA) and its runs.");
        backfills.MapPost("/", SubmitAsync).RequireKey()
            .Accepts<BackfillBody>("application/json").Produces<BackfillView>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(415)
            .WithSummary("Start a backfill, e.g. {\"selection\": \"silver/*\", \"partitions\": \"course_id=*,ingest_date=2025-06-01..2025-06-30\", \"max_concurrent_runs\": 4}.");
    }

    /// <summary>The body of <c>POST /api/backfills</c>.</summary>
    internal sealed record BackfillBody(string? Selection, string? Partitions, int? PartitionsPerRun, bool? SingleRun, int? MaxConcurrentRuns);

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 10_000) return ErrorHandling.Problem(400, "Bad request", "limit must be between 1 and 10000.");
        var views = new List<BackfillView>();
        foreach (var backfill in await runtime.Instance.Backfills.ListAsync(null, limit ?? 50, ct))
            views.Add(await BackfillView.ReadAsync(runtime.Instance, backfill, withRuns: false, runtime.Clock, ct));
        return Results.Json(views, BackfillView.Json);
    }

    private static async Task<IResult> GetAsync(string id, LakehouseRuntime runtime, CancellationToken ct)
    {
        var backfill = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? await runtime.Instance.Backfills.GetAsync(number, ct) : null;
        if (backfill is null) return ErrorHandling.Problem(404, "Not found", $"There is no backfill '{id}'.");
        return Results.Json(await BackfillView.ReadAsync(runtime.Instance, backfill, withRuns: true, runtime.Clock, ct), BackfillView.Json);
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, LakehouseRuntime runtime, CancellationToken ct)
    {
        // As for runs: a page of another site can post a form without asking first; it cannot post JSON.
        if (!http.Request.HasJsonContentType())
            return ErrorHandling.Problem(415, "Unsupported media type", "Send the backfill as JSON, with 'Content-Type: application/json'.");
        BackfillBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<BackfillBody>(http.Request.Body, BackfillView.Json, ct);
        }
        catch (JsonException ex)
        {
            return ErrorHandling.Problem(400, "Malformed JSON", $"The body is not valid JSON for a backfill: {ex.Message}");
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Selection) || string.IsNullOrWhiteSpace(body.Partitions))
            return ErrorHandling.Problem(400, "Bad request",
                "The body needs a \"selection\" and \"partitions\", e.g. {\"selection\": \"silver/*\", \"partitions\": \"course_id=*,ingest_date=2025-06-01..2025-06-30\"}.");
        // Refusals (a bad selection or range) are user errors: ErrorHandling answers them with 400 problem details, nothing stored.
        var id = await runtime.Backfills.SubmitAsync(new BackfillRequest(body.Selection, body.Partitions)
        {
            PartitionsPerRun = body.PartitionsPerRun ?? 1,
            SingleRun = body.SingleRun ?? false,
            MaxConcurrentRuns = body.MaxConcurrentRuns ?? 4,
        }, ct);
        var backfill = await runtime.Backfills.GetAsync(id, ct);
        return Results.Json(await BackfillView.ReadAsync(runtime.Instance, backfill, withRuns: false, runtime.Clock, ct), BackfillView.Json,
            statusCode: StatusCodes.Status202Accepted);
    }
}
