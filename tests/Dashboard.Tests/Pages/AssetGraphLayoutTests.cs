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

    [Fact]
    public async Task Catalog_FiltersTheRealAssets_ByGroupAndByKind()
    {
        var definitions = Definitions.All(SqlModelFolder.Find(null));
        var keys = definitions.SelectMany(d => d.Keys).Select(k => k.Value).ToList();
        await using var server = await DashboardServer.StartAsync(definitions);
        using var client = new FormClient(server.BaseAddress);

        async Task<List<string>> RowsAsync(string query) =>
            CatalogRow().Matches(await client.PageAsync("catalog?" + query)).Select(m => m.Groups["asset"].Value).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), await RowsAsync(""));
        Assert.Equal(keys.Where(k => k.StartsWith("maintenance/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), await RowsAsync("group=maintenance"));
        var models = Directory.GetFiles(SqlModelFolder.Find(null)!, "*.sql", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            // An ephemeral model is inlined where it is referenced, not an asset of its own.
            .Where(f => !File.ReadLines(f).Contains("materialized: ephemeral"))
            .Select(f => $"{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileNameWithoutExtension(f)}").Order(StringComparer.Ordinal);
        Assert.Equal(models, await RowsAsync("kind=sql"));
        Assert.Contains("bronze/rounds_raw", await RowsAsync("kind=files"));
        Assert.Empty(await RowsAsync("group=maintenance&kind=sql"));
    }

    [GeneratedRegex("<tr data-asset=\"(?<asset>[^\"]+)\"")]
    private static partial Regex CatalogRow();

    [GeneratedRegex("<a class=\"node[^\"]*\" href=\"[^\"]*\" data-asset=\"(?<asset>[^\"]+)\" data-status=\"[^\"]*\" data-column=\"(?<column>\\d+)\"")]
    private static partial Regex Node();

    [GeneratedRegex("<path class=\"edge\" data-from=\"(?<from>[^\"]+)\" data-to=\"(?<to>[^\"]+)\"")]
    private static partial Regex Edge();
}
