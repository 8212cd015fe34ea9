using System.Diagnostics;
using System.Globalization;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Catalog;
using TestSupport;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Assets.Tests.Fakes;
using TmLakehouse.Assets.Tests.Models;

namespace Assets.Tests.Spatial;

/// <summary>
/// Every object a spatial batch stores links back to its ledger row (LANDING_AND_SPATIAL §2), on a local folder and on S3
/// (s3rver): the GeoParquet files, the metadata document and the COG carry their row's id and SHA-256 in their user metadata,
/// also after the batch is run again (its rows then describe the new objects).
/// </summary>
[Collection(AssetsS3Collection.Name)]
public sealed class SpatialObjectLedgerIdTests(S3ServerFixture s3) : IDisposable
{
    private readonly SpatialFiles _files = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var owned in _owned) owned.Dispose();
        _files.Dispose();
    }

    [Theory]
    [InlineData("local")]
    [InlineData("s3")]
    public async Task EverySpatialObject_CarriesTheIdOfItsLedgerRow(string store)
    {
        IObjectStoreProvider? objects = store == "s3" ? new S3ObjectStoreProvider(s3.NewOptions()) : null;
        if (objects is IDisposable disposable) _owned.Add(disposable);
        var lake = new TestLake(objects, catalog: l => TableCatalogs.Sqlite(Path.Combine(l.Home, "catalog.db"), l.Objects, TimeProvider.System));
        _owned.Add(lake);
        var vector = new VectorBatchIngest(lake.Resources, new InProcessVectorEngine(), lake.Clock);
        var files = new SpatialFile[]
        {
            new("b1/webmercator.geojson", _files.GeoJson("webmercator.geojson", p => (SpatialFiles.MercatorX(p.X), SpatialFiles.MercatorY(p.Y))), "GeoJSON", "EPSG:3857"),
            new("b1/sections.zip", _files.ZippedShapefile("sections", 3857), "Shapefile", null),
        };
        var batch = new SpatialBatch("b1", "ingest_vector", files) { Uploader = "ops", Metadata = """{"course_id":"erinhills"}""" };
        var raster = new SpatialBatch("r1", RasterBatchIngest.Intent, [new SpatialFile("r1/ortho.tif", MercatorTiff(), "GeoTIFF", null)]) { Uploader = "ops" };

        await vector.RunAsync(batch, "run-1", default);
        await new RasterBatchIngest(lake.Resources, new ProcessGdalRunner(), lake.Clock).RunAsync(raster, "run-2", default);
        // Per vector dataset a document and a data file; one COG.
        Assert.Equal(["cog", "geoparquet", "geoparquet", "iso19115", "iso19115"], lake.Ledger.Entries.Select(e => e.Format).Order(StringComparer.Ordinal));
        await AssertLinkedAsync(lake);

        lake.Clock.Advance(TimeSpan.FromMinutes(5));
        await vector.RunAsync(batch, "run-3", default);
        Assert.Equal(["geoparquet", "geoparquet", "iso19115", "iso19115"], lake.Ledger.Entries.Where(e => e.RunId == "run-3").Select(e => e.Format).Order(StringComparer.Ordinal));
        await AssertLinkedAsync(lake);
    }

    /// <summary>Both directions link for every row: the object at the row's key carries the row's id and hash, with the row's size.</summary>
    private static async Task AssertLinkedAsync(TestLake lake)
    {
        foreach (var entry in lake.Ledger.Entries)
        {
            var stat = await lake.Objects.For(entry.Layer).StatAsync(entry.Key, default);
            Assert.True(stat is not null, $"{entry.Key} is in the ledger but not in the bucket");
            Assert.Equal(entry.Size, stat.Size);
            Assert.Equal(entry.Id.ToString(CultureInfo.InvariantCulture), stat.Metadata.GetValueOrDefault(LedgerObjectMetadata.LedgerId));
            Assert.Equal(entry.Sha256, stat.Metadata.GetValueOrDefault(LedgerObjectMetadata.Sha256));
        }
    }

    private string MercatorTiff() => SpatialFiles.MercatorTiff(_files.Folder, "ortho.tif", 256);
}
