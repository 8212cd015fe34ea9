using System.Globalization;
using System.Text;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Dashboard.Web;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>
/// The run's Gantt chart: per step a row labelled asset (then partition on its own line, never cut), a grey segment while it was
/// ready but waiting for a worker, and one segment per attempt coloured by its outcome.
/// </summary>
internal static class RunTimeline
{
    private const int Width = 1000, Left = 340, RowHeight = 36, Right = 14;

    /// <summary>When the step was ready (its upstream steps ended, or the run started) until its first attempt began.</summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Queued(RunRecord run, IReadOnlyList<StepRecord> steps, StepRecord step)
    {
        if (step.StartedAt is not { } started) return null;
        var upstream = steps.Where(s => step.DependsOn.Contains(s.Key)).Select(s => s.EndedAt).ToList();
        DateTimeOffset? ready = upstream.Count == 0 ? run.StartedAt : upstream.All(e => e is not null) ? upstream.Max() : null;
        return ready is { } r && r <= started ? (r, started) : null;
    }

    public static string Render(RunRecord run, IReadOnlyList<StepRecord> steps, IReadOnlyDictionary<StepKey, IReadOnlyList<StepAttempt>> attempts, DateTimeOffset now)
    {
        var started = steps.Where(s => s.StartedAt is not null).ToList();
        if (started.Count == 0) return "<p class=\"muted\">No step has started yet.</p>";
        var origin = new[] { run.StartedAt ?? started.Min(s => s.StartedAt!.Value), started.Min(s => s.StartedAt!.Value) }.Min();
        var end = started.Max(s => s.EndedAt ?? now);
        var span = Math.Max(0.001, (end - origin).TotalSeconds);
        double X(DateTimeOffset at) => Left + (at - origin).TotalSeconds / span * (Width - Left - Right);
        var height = steps.Count * RowHeight + 26;
        var svg = new StringBuilder($"<svg id=\"timeline\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">");
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var y = i * RowHeight;
            svg.Append($"<g class=\"step\" data-step=\"{Html.E(s.Key.ToString())}\"><text class=\"asset\" x=\"6\" y=\"{y + 15}\">{Html.E(s.Key.Asset.Value)}</text>");
            if (s.Key.Partition is { } p) svg.Append($"<text class=\"partition\" x=\"6\" y=\"{y + 30}\">{Html.E(p.Value)}</text>");
            if (Queued(run, steps, s) is { } q && q.To > q.From)
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"queued\" x=\"{X(q.From):0.#}\" y=\"{y + 9}\" width=\"{Math.Max(1, X(q.To) - X(q.From)):0.#}\" height=\"16\" rx=\"3\" fill=\"#c9d0d7\"><title>queued {Html.Duration(q.From, q.To)}</title></rect>");
            var tries = attempts.GetValueOrDefault(s.Key) ?? [];
            if (tries.Count == 0 && s.StartedAt is { } a)
                tries = [new StepAttempt(s.Key, Math.Max(1, s.Attempt), a) { EndedAt = s.EndedAt, Outcome = Html.Lower(s.Status) }];
            foreach (var t in tries)
            {
                var x = X(t.StartedAt);
                var w = Math.Max(2, X(t.EndedAt ?? now) - x);
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"attempt\" data-attempt=\"{t.Number}\" data-outcome=\"{Html.E(t.Outcome)}\" x=\"{x:0.#}\" y=\"{y + 7}\" width=\"{w:0.#}\" height=\"20\" rx=\"3\" fill=\"{GraphPage.Fill(t.Outcome == "retried" ? "running" : t.Outcome)}\"><title>{Html.E(s.Key.ToString())} attempt {t.Number}: {Html.E(t.Outcome)}, {Html.Duration(t.StartedAt, t.EndedAt)}</title></rect>");
            }
            svg.Append("</g>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{height - 6}\">0 s</text><text x=\"{Width - Right}\" y=\"{height - 6}\" text-anchor=\"end\">{span:0.00} s</text>");
        return svg.Append("</svg>").ToString();
    }
}
