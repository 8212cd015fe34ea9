using System.Text.Json;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Ledger;

/// <summary>
/// `tmlake ledger show` of a spatial row prints the ISO 19115-style document of its dataset (issue 13): a vector batch landed through
/// the manifest sensor (`tmlake sensors tick`), then a GeoParquet row shown, with the document's title, extent and lineage. A Bronze
/// row has no document. Both rows' objects carry their ledger ids, so `ledger show` exits 0.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LedgerDocumentCliTests : IDisposable
{
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task LedgerShow_OfASpatialRow_PrintsItsDatasetDocument()
    {
        var landing = _home.Bucket("tm-landing");
        Directory.CreateDirectory(Path.Combine(landing, "v1"));
        Directory.CreateDirectory(Path.Combine(landing, "manifests"));
        await File.WriteAllTextAsync(Path.Combine(landing, "v1", "greens.geojson"),
            """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"hole":1},"geometry":{"type":"Polygon","coordinates":[[[-88.05,43.69],[-88.049,43.69],[-88.049,43.691],[-88.05,43.691],[-88.05,43.69]]]}}]}""");
        await File.WriteAllTextAsync(Path.Combine(landing, "manifests", "v1.json"),
            """{"batch_id": "v1", "uploader": "gis", "intent": "ingest_vector", "files": [{"path": "v1/greens.geojson", "type": "vector", "crs": "EPSG:4326"}], "metadata": {"title": "Erin Hills greens", "description": "one green"}}""");

        await _home.OkAsync("sensors", "tick", "landing_manifests");

        using var rows = JsonDocument.Parse(await _home.OkAsync("ledger", "--batch", "v1", "--json"));
        var data = rows.RootElement.EnumerateArray().First(r => r.GetProperty("format").GetString() == "geoparquet");
        var id = data.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Exit 0: the object at the row's key carries the row's ledger id (written before the put, as Bronze landing does).
        using var view = JsonDocument.Parse(await _home.OkAsync("ledger", "show", id, "--json"));
        Assert.Equal("in_place", view.RootElement.GetProperty("object").GetString());
        var document = view.RootElement.GetProperty("document");
        Assert.Equal("Erin Hills greens", document.GetProperty("identification").GetProperty("title").GetString());
        Assert.Equal(1, document.GetProperty("feature_count").GetInt64());
        Assert.Equal(-88.05, document.GetProperty("extent")[0].GetDouble(), 1e-9);
        Assert.Contains(document.GetProperty("lineage").GetProperty("sources").EnumerateArray(), s => s.GetProperty("path").GetString() == "v1/greens.geojson");
        var text = await _home.OkAsync("ledger", "show", id);
        Assert.Contains("in place, carries this ledger id", text, StringComparison.Ordinal);
        Assert.Contains("(ISO 19115-style)", text, StringComparison.Ordinal);
        Assert.Contains("Erin Hills greens", text, StringComparison.Ordinal);
        // The document's own row too.
        var documentRow = rows.RootElement.EnumerateArray().First(r => r.GetProperty("format").GetString() == "iso19115").GetProperty("id").GetInt64();
        await _home.OkAsync("ledger", "show", documentRow.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
