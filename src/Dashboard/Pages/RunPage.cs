using System.Globalization;
using System.Text;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>One run: its request, a step timeline, the steps with errors, and the structured log filterable by level and step.</summary>
internal static class RunPage
{
    private static readonly string[] Levels = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];

    public static async Task<IResult> RenderAsync(HttpContext http, LakehouseRuntime runtime, string runId, string? level, string? step, CancellationToken ct)
    {
        var run = await runtime.Instance.Runs.GetRunAsync(runId, ct);
        if (run is null) return Layout.Error("Unknown run", $"There is no run '{runId}'.", 404);
        var steps = await runtime.Instance.Runs.GetStepsAsync(runId, ct);
        var events = await runtime.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Limit = 5000 }, ct);
        var status = Html.Lower(run.Status);
        var attempts = StepAttempt.Of(events);
        var reports = runtime.Resources.Objects.For(Lakehouse.Core.Objects.Layers.Quarantine).LocationOf("x")[..^1];
        var children = await runtime.Instance.Runs.ListRunsAsync(new RunQuery { ParentRunId = run.RunId }, ct);

        var body = new StringBuilder($"<h1>Run <code>{Html.E(run.RunId)}</code> <span id=\"run-status\" data-status=\"{status}\">{Html.Badge(status)}</span></h1>");
        body.Append("<div class=\"card\"><table>");
        body.Append($"<tr><th>Selection</th><td><code>{Html.E(run.Selection)}</code></td></tr>");
        body.Append($"<tr><th>Partitions</th><td>{(run.Partitions.Count == 0 ? "-" : Html.E(string.Join(" ", run.Partitions)))}</td></tr>");
        if (run.Tags.Count > 0) body.Append($"<tr><th>Tags</th><td>{Html.E(string.Join(" ", run.Tags.Select(t => $"{t.Key}={t.Value}")))}</td></tr>");
        if (run.ParentRunId is { } parent) body.Append($"<tr><th>Re-executes</th><td id=\"parent-run\"><a href=\"/runs/{Html.Q(parent)}\">{Html.E(parent)}</a></td></tr>");
        if (children.Count > 0) body.Append($"<tr><th>Re-executed by</th><td id=\"child-runs\">{string.Join(", ", children.Select(c => $"<a href=\"/runs/{Html.Q(c.RunId)}\">{Html.E(c.RunId)}</a> {Html.Badge(Html.Lower(c.Status))}"))}</td></tr>");
        body.Append($"<tr><th>Created</th><td>{Html.Time(run.CreatedAt)} · started {Html.Time(run.StartedAt)} · ended {Html.Time(run.EndedAt)} · {Html.Duration(run.StartedAt, run.EndedAt)}</td></tr></table><p>");
        if (!run.Status.IsFinal())
            body.Append($"<form class=\"inline\" method=\"post\" action=\"/actions/runs/{Html.Q(run.RunId)}/cancel\">{Forms.Token(http)}<button class=\"danger\">Cancel</button></form> ");
        else if (steps.Any(s => s.Status != StepStatus.Succeeded))
            body.Append($"<form class=\"inline\" method=\"post\" action=\"/actions/runs/{Html.Q(run.RunId)}/reexecute\">{Forms.Token(http)}<button>Re-execute</button></form> ");
        body.Append("</p></div>");

        body.Append("<h2>Timeline</h2><p class=\"legend muted\"><span><i style=\"background:#c9d0d7\"></i>queued (ready, waiting for a worker)</span><span><i class=\"s-succeeded\"></i>attempt succeeded</span><span><i class=\"s-failed\"></i>failed</span><span><i class=\"s-running\"></i>running or retried</span></p><div class=\"card\">")
            .Append(RunTimeline.Render(run, steps, attempts, runtime.Clock.GetUtcNow())).Append("</div>");

        body.Append("<h2>Steps</h2><div class=\"card\"><table id=\"steps\"><tr><th>Step</th><th>Status</th><th>Attempts</th><th>Queued</th><th>Started</th><th>Duration</th><th>Error</th></tr>");
        foreach (var s in steps)
        {
            var tries = attempts.GetValueOrDefault(s.Key) ?? [];
            var queued = RunTimeline.Queued(run, steps, s) is { } q ? Html.Duration(q.From, q.To) : "-";
            body.Append($"<tr data-step=\"{Html.E(s.Key.ToString())}\"><td><a href=\"/assets/{Html.PathOf(s.Key.Asset.Value)}\">{Html.E(s.Key.Asset.Value)}</a>{(s.Key.Partition is { } p ? $"<br><code>{Html.E(p.Value)}</code>" : "")}</td><td>{Html.Badge(Html.Lower(s.Status))}</td>")
                .Append($"<td class=\"attempts\">{(tries.Count == 0 ? s.Attempt.ToString(CultureInfo.InvariantCulture) : string.Join("<br>", tries.Select(a => $"#{a.Number} {Html.E(a.Outcome)} {Html.Duration(a.StartedAt, a.EndedAt)}{(a.Reason is null ? "" : $": {QuarantineLinks.Linkify(a.Reason, reports)}")}")))}</td>")
                .Append($"<td class=\"queued\">{queued}</td><td>{Html.Time(s.StartedAt)}</td><td>{Html.Duration(s.StartedAt, s.EndedAt)}</td><td class=\"error\">{QuarantineLinks.Linkify(s.Error, reports)}</td></tr>");
        }
        body.Append("</table></div>");

        body.Append("<h2>Events and logs</h2><form class=\"filters\" method=\"get\">");
        body.Append("<label>Level at least<select name=\"level\"><option value=\"\">any</option>");
        foreach (var l in Levels) body.Append($"<option{(string.Equals(l, level, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{l}</option>");
        body.Append("</select></label><label>Step<select name=\"step\"><option value=\"\">any</option>");
        foreach (var s in steps) body.Append($"<option{(s.Key.ToString() == step ? " selected" : "")}>{Html.E(s.Key.ToString())}</option>");
        body.Append("</select></label><button>Filter</button></form><div class=\"card\"><table id=\"events\"><tr><th>Time</th><th>Level</th><th>Type</th><th>Step</th><th>Message</th></tr>");
        var minimum = Array.FindIndex(Levels, l => string.Equals(l, level, StringComparison.OrdinalIgnoreCase));
        // Step logs are flushed in batches, so the log's id order is not time order: show time order.
        foreach (var e in events.OrderBy(e => e.Timestamp).ThenBy(e => e.Id))
        {
            if (minimum > 0 && Array.IndexOf(Levels, e.Level) < minimum) continue;
            if (!string.IsNullOrEmpty(step) && e.Step?.ToString() != step) continue;
            body.Append($"<tr class=\"lvl-{Html.E(e.Level)}\"><td>{e.Timestamp.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}</td><td>{Html.E(e.Level)}</td><td>{Html.E(e.Type.ToString())}</td><td>{Html.E(e.Step?.ToString() ?? "")}</td>")
                .Append($"<td>{QuarantineLinks.Linkify(e.Message, reports)}{(e.Type == EventType.Materialization ? $"<details><summary>metadata</summary>{MetadataView.Table(e.Metadata)}</details>" : "")}</td></tr>");
        }
        body.Append("</table></div>");
        return Layout.Page($"Run {run.RunId}", body.ToString(), refresh: !run.Status.IsFinal());
    }
}
