using Lakehouse.Core.Config;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>The engine configuration chooses (§3): PostGIS when TM_POSTGIS_URL is set (its input loaded by ogr2ogr), else in process (the embedded default).</summary>
public static class VectorEngines
{
    public static IVectorEngine From(LakehouseOptions options, TimeProvider clock) =>
        string.IsNullOrWhiteSpace(options.PostGisConnectionString)
            ? new InProcessVectorEngine()
            : new PostGisVectorEngine(options.PostGisConnectionString, clock, PostGisVectorEngine.DefaultLease, new Ogr2OgrLoader(new Raster.ProcessGdalRunner()));
}
