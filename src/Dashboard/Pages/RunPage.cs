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

        var body = new StringBuilder($"<h1>Run <code>{Html.E(run.RunId)}</code> <span id=\"run-status\" data-status=\"{status}\">{Html.Badge(status)}</span></h1>");
        body.Append("<div class=\"card\"><table>");
        body.Append($"<tr><th>Selection</th><td><code>{Html.E(run.Selection)}</code></td></tr>");
        body.Append($"<tr><th>Partitions</th><td>{(run.Partitions.Count == 0 ? "-" : Html.E(string.Join(" ", run.Partitions)))}</td></tr>");
        if (run.Tags.Count > 0) body.Append($"<tr><th>Tags</th><td>{Html.E(string.Join(" ", run.Tags.Select(t => $"{t.Key}={t.Value}")))}</td></tr>");
        if (run.ParentRunId is { } parent) body.Append($"<tr><th>Re-executes</th><td><a href=\"/runs/{Html.Q(parent)}\">{Html.E(parent)}</a></td></tr>");
        body.Append($"<tr><th>Created</th><td>{Html.Time(run.CreatedAt)} · started {Html.Time(run.StartedAt)} · ended {Html.Time(run.EndedAt)} · {Html.Duration(run.StartedAt, run.EndedAt)}</td></tr></table><p>");
        if (!run.Status.IsFinal())
            body.Append($"<form class=\"inline\" method=\"post\" action=\"/actions/runs/{Html.Q(run.RunId)}/cancel\">{Forms.Token(http)}<button class=\"danger\">Cancel</button></form> ");
        else if (steps.Any(s => s.Status != StepStatus.Succeeded))
            body.Append($"<form class=\"inline\" method=\"post\" action=\"/actions/runs/{Html.Q(run.RunId)}/reexecute\">{Forms.Token(http)}<button>Re-execute</button></form> ");
        body.Append("</p></div>");

        body.Append("<h2>Timeline</h2><div class=\"card\">").Append(Timeline(steps, runtime.Clock.GetUtcNow())).Append("</div>");

        body.Append("<h2>Steps</h2><div class=\"card\"><table id=\"steps\"><tr><th>Step</th><th>Status</th><th>Attempt</th><th>Started</th><th>Duration</th><th>Error</th></tr>");
        foreach (var s in steps)
            body.Append($"<tr><td><a href=\"/assets/{Html.PathOf(s.Key.Asset.Value)}\">{Html.E(s.Key.ToString())}</a></td><td>{Html.Badge(Html.Lower(s.Status))}</td><td>{s.Attempt}</td><td>{Html.Time(s.StartedAt)}</td><td>{Html.Duration(s.StartedAt, s.EndedAt)}</td><td class=\"error\">{Html.E(s.Error)}</td></tr>");
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
                .Append($"<td>{Html.E(e.Message)}{(e.Type == EventType.Materialization ? MetadataView.Table(e.Metadata) : "")}</td></tr>");
        }
        body.Append("</table></div>");
        return Layout.Page($"Run {run.RunId}", body.ToString(), refresh: !run.Status.IsFinal());
    }

    /// <summary>One bar per step from its start to its end (or now, while it runs), on a shared time axis.</summary>
    private static string Timeline(IReadOnlyList<StepRecord> steps, DateTimeOffset now)
    {
        var started = steps.Where(s => s.StartedAt is not null).ToList();
        if (started.Count == 0) return "<p class=\"muted\">No step has started yet.</p>";
        var origin = started.Min(s => s.StartedAt!.Value);
        var end = started.Max(s => s.EndedAt ?? now);
        var span = Math.Max(0.001, (end - origin).TotalSeconds);
        const int width = 900, left = 260, row = 24;
        var svg = new StringBuilder($"<svg id=\"timeline\" width=\"{width}\" height=\"{steps.Count * row + 24}\" viewBox=\"0 0 {width} {steps.Count * row + 24}\">");
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var y = i * row;
            svg.Append($"<text x=\"{left - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{Html.E(s.Key.ToString().Length > 38 ? s.Key.ToString()[..37] + "…" : s.Key.ToString())}</text>");
            if (s.StartedAt is not { } a) continue;
            var x = left + (a - origin).TotalSeconds / span * (width - left - 10);
            var w = Math.Max(2, ((s.EndedAt ?? now) - a).TotalSeconds / span * (width - left - 10));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y + 4}\" width=\"{w:0.#}\" height=\"16\" rx=\"3\" fill=\"{GraphPage.Fill(Html.Lower(s.Status))}\"><title>{Html.E(s.Key.ToString())}: {Html.Lower(s.Status)}, {Html.Duration(s.StartedAt, s.EndedAt)}</title></rect>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{steps.Count * row + 18}\">0 s</text><text x=\"{width}\" y=\"{steps.Count * row + 18}\" text-anchor=\"end\">{span:0.00} s</text>");
        return svg.Append("</svg>").ToString();
    }
}
