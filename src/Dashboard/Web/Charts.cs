using System.Globalization;
using System.Text;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Small server-rendered SVG charts (no script): lines over time and horizontal bars.</summary>
internal static class Charts
{
    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static readonly string[] Palette = ["#2f6fdb", "#1f9d55", "#d64545", "#e0a100", "#7b4fd6", "#0f9bb3", "#c2417a", "#5f6b77"];

    /// <summary>One line per series (e.g. per partition) on shared time and value axes, with a legend; the oldest point on the left.</summary>
    public static string Lines(IReadOnlyList<(string Name, IReadOnlyList<(DateTimeOffset At, double Value)> Points)> series, string label)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0) return "<p class=\"muted\">No data yet.</p>";
        const int width = 640, height = 180, left = 60, bottom = 24, top = 10;
        var max = Math.Max(1, points.Max(p => p.Value));
        var first = points.Min(p => p.At);
        var last = points.Max(p => p.At);
        var span = Math.Max(1, (last - first).TotalSeconds);
        double X(DateTimeOffset at) => last == first ? left + (width - left) / 2.0 : left + (at - first).TotalSeconds / span * (width - left - 10);
        double Y(double v) => top + (1 - v / max) * (height - top - bottom);
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{Html.E(label)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append($"<line class=\"axis\" x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width}\" y2=\"{height - bottom}\"/>");
        svg.Append($"<text x=\"{left - 6}\" y=\"{top + 10}\" text-anchor=\"end\">{Html.E(Html.Number(max))}</text><text x=\"{left - 6}\" y=\"{height - bottom}\" text-anchor=\"end\">0</text>");
        svg.Append($"<text x=\"{left}\" y=\"{height - 6}\">{Html.E(Html.Time(first))}</text><text x=\"{width}\" y=\"{height - 6}\" text-anchor=\"end\">{Html.E(Html.Time(last))}</text>");
        var legend = new StringBuilder("<p class=\"legend muted\">");
        for (var i = 0; i < series.Count; i++)
        {
            var (name, line) = series[i];
            var colour = Palette[i % Palette.Length];
            svg.Append($"<g class=\"series\" data-series=\"{Html.E(name)}\"><polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"")
                .AppendJoin(' ', line.Select(p => $"{F(X(p.At))},{F(Y(p.Value))}")).Append("\"/>");
            foreach (var p in line)
                svg.Append($"<circle cx=\"{F(X(p.At))}\" cy=\"{F(Y(p.Value))}\" r=\"3.5\" fill=\"{colour}\"><title>{Html.E(name)} {Html.E(Html.Time(p.At))}: {Html.E(Html.Number(p.Value))}</title></circle>");
            svg.Append("</g>");
            legend.Append($"<span><i style=\"background:{colour}\"></i>{Html.E(name)}</span>");
        }
        return svg.Append("</svg>").Append(series.Count > 1 ? legend.Append("</p>").ToString() : "").ToString();
    }

    /// <summary>Horizontal bars of fractions (0..1) shown as percentages.</summary>
    public static string Rates(IReadOnlyList<(string Label, double Rate, string Detail)> bars, string label)
    {
        if (bars.Count == 0) return "<p class=\"muted\">No data yet.</p>";
        const int width = 640, row = 26, left = 160, right = 70;
        var height = bars.Count * row + 8;
        var max = Math.Max(0.0001, bars.Max(b => b.Rate));
        var svg = new StringBuilder($"<svg role=\"img\" aria-label=\"{Html.E(label)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (name, rate, detail) = bars[i];
            var y = 4 + i * row;
            var w = rate / max * (width - left - right);
            svg.Append($"<text x=\"{left - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Html.E(name)}</text>");
            svg.Append($"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{F(Math.Max(w, 1))}\" height=\"16\" rx=\"3\" fill=\"#e0a100\"><title>{Html.E(detail)}</title></rect>");
            svg.Append($"<text x=\"{F(left + w + 6)}\" y=\"{y + 15}\">{(rate * 100).ToString("0.##", CultureInfo.InvariantCulture)}%</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
