using System.Text;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Web;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>Partition health: a grid (first dimension × second) for two-dimension partitions, a strip for one dimension.</summary>
internal static class PartitionGrid
{
    public static string Render(PartitionsDefinition definition, IReadOnlyList<PartitionKey> known, IReadOnlyDictionary<string, AssetPartitionStatus> statuses)
    {
        // A partition with a status but no longer among the definition's keys (a dynamic key dropped, a landing refused) still counts:
        // the counts must be the ones `tmlake assets` prints from the same status table.
        var keys = known.Concat(statuses.Values.Select(s => s.Partition!)).DistinctBy(k => k.Value).ToList();
        string Status(string key) => statuses.TryGetValue(key, out var s) ? AssetStatus.Of(s.State) : AssetStatus.Never;
        string Cell(string key) => $"<td class=\"cell s-{Status(key)}\" data-partition=\"{Html.E(key)}\" data-status=\"{Status(key)}\" title=\"{Html.E(key)}: {Status(key)}\"></td>";

        var html = new StringBuilder("<table class=\"grid\" id=\"partition-grid\">");
        if (definition.DimensionNames.Count == 2)
        {
            var (rowDim, colDim) = (definition.DimensionNames[0], definition.DimensionNames[1]);
            var present = keys.ToDictionary(k => (k.Get(rowDim), k.Get(colDim)), k => k.Value);
            var rows = present.Keys.Select(p => p.Item1).Distinct().Order(StringComparer.Ordinal).ToList();
            var cols = present.Keys.Select(p => p.Item2).Distinct().Order(StringComparer.Ordinal).ToList();
            html.Append($"<tr><th>{Html.E(rowDim)} \\ {Html.E(colDim)}</th>");
            foreach (var c in cols) html.Append($"<th title=\"{Html.E(c)}\">{Html.E(c.Length > 5 ? c[^5..] : c)}</th>");
            html.Append("</tr>");
            foreach (var r in rows)
            {
                html.Append($"<tr><th>{Html.E(r)}</th>");
                foreach (var c in cols)
                    html.Append(present.TryGetValue((r, c), out var key) ? Cell(key) : "<td class=\"cell none\" title=\"no data landed\"></td>");
                html.Append("</tr>");
            }
        }
        else
        {
            html.Append("<tr>");
            foreach (var k in keys) html.Append(Cell(k.Value));
            html.Append("</tr>");
        }
        html.Append("</table>");
        var counts = keys.GroupBy(k => Status(k.Value)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"<span data-status=\"{g.Key}\" data-count=\"{g.Count()}\">{g.Count()} {g.Key}</span>");
        return html.Append($"<p class=\"legend muted\" id=\"partition-counts\">{keys.Count} partitions: {string.Join(", ", counts)}</p>").ToString();
    }
}
