namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// One step of a vector recipe: a name, its parameters (as the lineage records them) and its in-process implementation, one
/// feature at a time so a file streams through the recipe. The PostGIS engine runs the same step as SQL
/// (<see cref="PostGisSql(string, string)"/>), so both engines follow one recipe.
/// </summary>
public abstract record VectorStep
{
    public abstract string Name { get; }
    public virtual IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    /// <summary>The step prepared for the features of <paramref name="file"/> in <paramref name="crs"/> (a reprojection is built once per file).</summary>
    public abstract Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs);

    /// <summary>The CRS the features are in after this step.</summary>
    public virtual SpatialReference OutputCrs(SpatialReference input) => input;

    /// <summary>Runs the step over a layer in memory (NetTopologySuite, ProjNET).</summary>
    public virtual VectorLayer Apply(VectorLayer layer)
    {
        var apply = For(layer.SourceFile, layer.Crs);
        return layer with { Crs = OutputCrs(layer.Crs), Features = layer.Features.Select(apply).ToList() };
    }

    /// <summary>The step as one SQL statement from table <paramref name="source"/> to a new table <paramref name="target"/>
    /// (columns feature_index, properties, geometry with its SRID).</summary>
    public abstract string PostGisSql(string source, string target);

    /// <summary>The step's SQL for a layer in <paramref name="crs"/>; only steps that reproject need it (a CRS without an EPSG code has no SRID).</summary>
    public virtual string PostGisSql(string source, string target, SpatialReference crs) => PostGisSql(source, target);
}
