using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Raster;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Assets.Tests.Fakes;

namespace Assets.Tests.Spatial;

/// <summary>The sensor's entry point sends each intent to its pipeline: vector files to spatial tables, rasters to COGs.</summary>
public sealed class SpatialIntakeTests : IDisposable
{
    private readonly SpatialFiles _files = new();
    private readonly TestLake _lake = new(catalog: lake => TableCatalogs.Sqlite(Path.Combine(lake.Home, "catalog.db"), lake.Objects, TimeProvider.System));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _lake.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task EachIntent_GoesToItsPipeline()
    {
        var intake = new SpatialIntake(new VectorBatchIngest(_lake.Resources, new InProcessVectorEngine(), _lake.Clock),
            new RasterBatchIngest(_lake.Resources, new ProcessGdalRunner(), _lake.Clock));
        var geojson = _files.GeoJson("holes.geojson");
        var tiff = _files.GeoJson("not-a-raster.geojson");

        var vector = await intake.RunAsync(new SpatialBatch("v1", VectorRecipes.IngestVector, [new SpatialFile("v1/holes.geojson", geojson, null, "EPSG:4326")]), "run-1", default);
        var raster = await Assert.ThrowsAsync<SpatialInputException>(() =>
            intake.RunAsync(new SpatialBatch("v2", RasterBatchIngest.Intent, [new SpatialFile("v2/holes.geojson", tiff, null, null)]), "run-2", default));

        Assert.Equal("spatial.holes", Assert.Single(vector.Vector!.Datasets).Table.ToString());
        Assert.Null(vector.Raster);
        Assert.Contains("GDAL cannot open it as a raster", raster.Message);
        Assert.Equal([VectorRecipes.IngestVector, RasterBatchIngest.Intent, VectorRecipes.CourseSections], SpatialIntake.Intents);
    }
}
