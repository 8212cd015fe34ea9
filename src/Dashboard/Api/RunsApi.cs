using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>/api/runs: launch, list, read, follow, cancel and re-execute runs.</summary>
internal static class RunsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapPost("/", LaunchAsync).RequireKey()
            .Accepts<LaunchRunBody>("application/json").Produces<RunCreated>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(415).WithSummary("Launch a run of a selection, e.g. {\"selection\": \"silver/*\", \"partitions\": [\"course_id=erinhills,ingest_date=2025-06-01\"]}.");
        runs.MapGet("/", ListAsync).Produces<IReadOnlyList<RunView>>().ProducesProblem(400).WithSummary("Recent runs, newest first; filter by status, asset and partition.");
        runs.MapGet("/{id}", GetAsync).Produces<RunView>().ProducesProblem(404).WithSummary("A run with its steps.");
        runs.MapGet("/{id}/events", EventsAsync).Produces<IReadOnlyList<EventView>>().ProducesProblem(404).WithSummary("The run's events (logs, materializations, checks), oldest first after afterId.");
        runs.MapPost("/{id}/cancel", CancelAsync).RequireKey().Produces<RunView>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .WithSummary("Ask a run to stop.");
        runs.MapPost("/{id}/reexecute", ReexecuteAsync).RequireKey().Produces<RunCreated>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .WithSummary("Re-execute a run that ended without succeeding: steps that succeeded count as done.");
    }

    private static async Task<IResult> LaunchAsync(HttpContext http, LakehouseRuntime runtime, CancellationToken ct)
    {
        // A page of another site can post text/plain or a form without asking first (no CORS preflight); it cannot post JSON.
        if (!http.Request.HasJsonContentType())
            return ErrorHandling.Problem(415, "Unsupported media type", "Send the run request as JSON, with 'Content-Type: application/json'.");
        LaunchRunBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<LaunchRunBody>(http.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException ex)
        {
            return ErrorHandling.Problem(400, "Malformed JSON", $"The body is not valid JSON for a run request: {ex.Message}");
        }
        if (body is null || string.IsNullOrWhiteSpace(body.Selection))
            return ErrorHandling.Problem(400, "Bad request", "The body needs a \"selection\", e.g. {\"selection\": \"silver/*\"}.");
        if (body.AllPartitions && body.Partitions is { Count: > 0 })
            return ErrorHandling.Problem(400, "Bad request", "Give either \"partitions\" or \"allPartitions\": true, not both.");
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest(body.Selection)
        {
            Partitions = body.Partitions ?? [],
            AllPartitions = body.AllPartitions,
            Tags = body.Tags ?? new Dictionary<string, string>(),
        }, ct);
        return Results.Accepted($"/api/runs/{Uri.EscapeDataString(runId)}", new RunCreated(runId));
    }

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, string? status, string? asset, string? partition, int? limit, CancellationToken ct)
    {
        RunStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<RunStatus>(status, true, out var parsed) || int.TryParse(status, out _))
                return ErrorHandling.Problem(400, "Bad request", $"'{status}' is not a run status: use {string.Join(", ", Enum.GetNames<RunStatus>().Select(n => n.ToLowerInvariant()))}.");
            statusFilter = parsed;
        }
        if (limit is < 1 or > 10_000) return ErrorHandling.Problem(400, "Bad request", "limit must be between 1 and 10000.");
        var runs = await runtime.Instance.Runs.ListRunsAsync(new RunQuery
        {
            Status = statusFilter,
            Asset = string.IsNullOrWhiteSpace(asset) ? null : runtime.Graph.StepAssetOrSelf(Lakehouse.Core.Assets.AssetKey.Parse(asset)),
            Partition = string.IsNullOrWhiteSpace(partition) ? null : new PartitionKey(partition.Trim()),
            Limit = limit ?? 50,
        }, ct);
        return Results.Ok(runs.Select(r => RunView.Of(r, null)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, LakehouseRuntime runtime, CancellationToken ct)
    {
        var run = await runtime.Instance.Runs.GetRunAsync(id, ct);
        if (run is null) return NoRun(id);
        return Results.Ok(RunView.Of(run, await runtime.Instance.Runs.GetStepsAsync(id, ct)));
    }

    private static async Task<IResult> EventsAsync(string id, long? afterId, int? limit, LakehouseRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Instance.Runs.GetRunAsync(id, ct) is null) return NoRun(id);
        if (limit is < 1 or > 100_000) return ErrorHandling.Problem(400, "Bad request", "limit must be between 1 and 100000.");
        var events = await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = id, AfterId = afterId ?? 0, Limit = limit ?? 1000 }, ct);
        return Results.Ok(events.Select(EventView.Of).ToList());
    }

    private static async Task<IResult> CancelAsync(string id, LakehouseRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Instance.Runs.GetRunAsync(id, ct) is null) return NoRun(id);
        await runtime.Coordinator.CancelAsync(id, ct);
        var run = await runtime.Instance.Runs.GetRunAsync(id, ct);
        return Results.Accepted($"/api/runs/{Uri.EscapeDataString(id)}", RunView.Of(run!, null));
    }

    private static async Task<IResult> ReexecuteAsync(string id, LakehouseRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Instance.Runs.GetRunAsync(id, ct) is null) return NoRun(id);
        var runId = await runtime.Coordinator.ReexecuteAsync(id, ct);
        return Results.Accepted($"/api/runs/{Uri.EscapeDataString(runId)}", new RunCreated(runId));
    }

    private static IResult NoRun(string id) => ErrorHandling.Problem(404, "Not found", $"There is no run '{id}'.");
}
