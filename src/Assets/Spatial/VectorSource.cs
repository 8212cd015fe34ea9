namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// One source file's features as a stream (LANDING_AND_SPATIAL §3 "stream, don't load"): the file, its format and CRS are known
/// when it is opened, its features are read one at a time each time <see cref="Features"/> is enumerated. Attributes that also
/// hold geometries (which the one-geometry-column contract rejects) are noted as features go by, in <see cref="GeometryColumns"/>.
/// </summary>
public sealed class VectorSource(string sourceFile, string format, SpatialReference crs, Func<VectorSource, IEnumerable<VectorFeature>> read)
{
    private readonly SortedSet<string> _attributeGeometries = new(StringComparer.Ordinal);

    public string SourceFile { get; } = sourceFile;
    public string Format { get; } = format;
    public SpatialReference Crs { get; } = crs;

    /// <summary>The file on local disk, for an engine that reads the file itself (PostGIS loads it with ogr2ogr).</summary>
    public string? LocalPath { get; internal set; }

    /// <summary><c>geometry</c> and every attribute seen so far that also holds a geometry (or is so named).</summary>
    public IReadOnlyList<string> GeometryColumns => [VectorLayer.GeometryColumn, .. _attributeGeometries];

    /// <summary>Whether no attribute seen so far holds a geometry (the cheap form of the contract's column check).</summary>
    public bool HasOnlyGeometryColumn => _attributeGeometries.Count == 0;

    /// <summary>Reads the features in file order; a second enumeration reads the file again.</summary>
    public IEnumerable<VectorFeature> Features() => read(this);

    internal void NoteGeometryColumns(IEnumerable<string> names) => _attributeGeometries.UnionWith(names);

    /// <summary>A layer already in memory as a source (tests, and engines handed a layer).</summary>
    public static VectorSource Of(VectorLayer layer)
    {
        var source = new VectorSource(layer.SourceFile, layer.Format, layer.Crs, _ => layer.Features) { LocalPath = layer.LocalPath };
        source.NoteGeometryColumns(layer.GeometryColumns.Skip(1));
        return source;
    }

    /// <summary>Every feature in memory: for small files (course sections) and an engine that needs the whole layer.</summary>
    public VectorLayer ToLayer()
    {
        var features = Features().ToList();
        if (features.Count == 0) throw new SpatialInputException(SourceFile, null, "the layer has no features");
        return new VectorLayer(SourceFile, Format, Crs, features) { GeometryColumns = GeometryColumns, LocalPath = LocalPath };
    }
}
