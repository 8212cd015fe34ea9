using System.Text.RegularExpressions;
using Dashboard.Tests.Support;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Models;

namespace Dashboard.Tests.Pages;

/// <summary>
/// The graph page over the lakehouse's own assets (Bronze, the Silver multi-asset, the SQL models, the maintenance chain, the
/// spatial batches), where issue 15 saw edges loop backwards (silver → fact_device_health) and the maintenance chain drawn as loops.
/// </summary>
public sealed partial class AssetGraphLayoutTests
{
    [Fact]
    public async Task EveryEdge_PointsRight_OnePerDependency_AndTheSilverPairSharesAColumn()
    {
        var definitions = Definitions.All(SqlModelFolder.Find(null));
        await using var server = await DashboardServer.StartAsync(definitions);
        using var client = new FormClient(server.BaseAddress);

        var html = await client.PageAsync("");

        var columns = Node().Matches(html).ToDictionary(m => m.Groups["asset"].Value, m => int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture));
        var edges = Edge().Matches(html).Select(m => (From: m.Groups["from"].Value, To: m.Groups["to"].Value)).ToList();
        var specs = definitions.SelectMany(d => d.Specs).ToList();
        Assert.Equal(specs.Select(s => s.Key.Value).Order(StringComparer.Ordinal), columns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(specs.Sum(s => s.Deps.Count), edges.Count);
        Assert.All(edges, e => Assert.True(columns[e.From] < columns[e.To], $"{e.From} (column {columns[e.From]}) → {e.To} (column {columns[e.To]})"));
        Assert.Equal(columns["silver/fact_telemetry_event"], columns["silver/fact_device_health"]);
        Assert.Equal(columns["bronze/rounds_raw"] + 1, columns["silver/fact_telemetry_event"]);
        var maintenance = columns.Where(c => c.Key.StartsWith("maintenance/", StringComparison.Ordinal)).Select(c => c.Value).ToList();
        Assert.Equal(maintenance.Count, maintenance.Distinct().Count());
    }

    [GeneratedRegex("<a class=\"node[^\"]*\" href=\"[^\"]*\" data-asset=\"(?<asset>[^\"]+)\" data-status=\"[^\"]*\" data-column=\"(?<column>\\d+)\"")]
    private static partial Regex Node();

    [GeneratedRegex("<path class=\"edge\" data-from=\"(?<from>[^\"]+)\" data-to=\"(?<to>[^\"]+)\"")]
    private static partial Regex Edge();
}
