using System.Net;
using System.Text;
using Dashboard.Tests.Support;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;

namespace Dashboard.Tests.Pages;

/// <summary>An asset whose latest run wrote ISO 19115-style documents shows them on its Overview, found through the ledger.</summary>
public sealed class MetadataDocumentsTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(new ToyLakehouse());
        await ToyLakehouse.MaterializeBronzeAsync(_server.Runtime);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheOverview_ShowsEachDocumentOfTheLatestRun_WithItsFactsAndLedgerLink_AndSaysWhenOneIsMissing()
    {
        var runId = (await _server.Runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None)).Single().RunId;
        var json = """{"identification":{"title":"Erin Hills greens","abstract":"Green polygons surveyed 2025.","table":"spatial/greens"},"extent":[-88.3,43.2,-88.2,43.3],"reference_system":"EPSG:4326","feature_count":18,"lineage":{"sources":[{"path":"greens.geojson"}],"recipe":"default_vector","engine":"in_process"}}"""u8.ToArray();
        var spatial = _server.Runtime.Resources.Objects.For(Layers.Spatial);
        using (var content = new MemoryStream(json)) await spatial.PutAsync("metadata/greens/b1.json", content, null, CancellationToken.None);
        var id = await AddDocumentRowAsync(runId, "metadata/greens/b1.json", "spatial/greens/batch_id=b1");
        await AddDocumentRowAsync(runId, "metadata/holes/b1.json", "spatial/holes/batch_id=b1");

        using var client = _server.Client();
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("assets/bronze/toy_raw"));

        Assert.Contains("<h2>Metadata documents</h2>", page);
        Assert.Contains("<h3 class=\"iso-title\">Erin Hills greens</h3>", page);
        Assert.Contains("Green polygons surveyed 2025.", page);
        Assert.Contains("<tr><th>Extent (W, S, E, N)</th><td>-88.3, 43.2, -88.2, 43.3</td></tr>", page);
        Assert.Contains("<tr><th>Features</th><td>18</td></tr>", page);
        Assert.Contains("<tr><th>Recipe</th><td>default_vector on in_process</td></tr>", page);
        Assert.Contains($"<a href=\"/ledger?key=metadata%2Fgreens%2Fb1.json\">row {id}</a>", page);
        Assert.Contains("<code>metadata/holes/b1.json</code> <span class=\"badge s-failed\">missing</span>", page);
        Assert.DoesNotContain("Metadata documents", WebUtility.HtmlDecode(await client.GetStringAsync("assets/silver/toy")));
    }

    private Task<long> AddDocumentRowAsync(string runId, string key, string target) =>
        _server.Runtime.Instance.Ledger.AddAsync(new LedgerEntry(key, target, 100, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            runId, 18, DateTimeOffset.UtcNow) { Layer = Layers.Spatial, Format = LedgerFormats.Iso19115, BatchId = "b1", Crs = "EPSG:4326" }, CancellationToken.None);
}
