namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// One step of a vector recipe: a name, its parameters (as the lineage records them) and its in-process implementation.
/// The PostGIS engine runs the same step as SQL (<see cref="PostGisSql(string, string)"/>), so both engines follow one recipe.
/// </summary>
public abstract record VectorStep
{
    public abstract string Name { get; }
    public virtual IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    /// <summary>Runs the step over a layer in process (NetTopologySuite, ProjNET).</summary>
    public abstract VectorLayer Apply(VectorLayer layer);

    /// <summary>The step as one SQL statement from table <paramref name="source"/> to a new table <paramref name="target"/>
    /// (columns feature_index, properties, geometry with its SRID).</summary>
    public abstract string PostGisSql(string source, string target);

    /// <summary>The step's SQL for a layer in <paramref name="crs"/>; only steps that reproject need it (a CRS without an EPSG code has no SRID).</summary>
    public virtual string PostGisSql(string source, string target, SpatialReference crs) => PostGisSql(source, target);
}
