using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using TmLakehouse.Assets.Spatial.Reading;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// One source file after its recipe, as the table writer takes it: rows (feature index, properties as JSON, WKB geometry) in
/// the recipe's order, held in sorted runs on local disk (<see cref="FeatureRuns"/>) so a layer of any size costs one run's
/// memory; its feature count and extent were added up as the rows went by. Dispose removes the runs.
/// </summary>
public sealed class ProcessedLayer : IDisposable
{
    private readonly FeatureRuns _runs;
    private readonly WKBWriter _wkb = new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);

    public ProcessedLayer(string sourceFile, string format, SpatialReference crs)
    {
        SourceFile = sourceFile;
        Format = format;
        Crs = crs;
        _runs = new FeatureRuns();
    }

    public string SourceFile { get; }
    public string Format { get; }
    public SpatialReference Crs { get; }
    public long Count { get; private set; }
    public Envelope Extent { get; } = new();

    /// <summary>Adds a processed feature; rows come back ordered by <paramref name="key"/>, then feature index.</summary>
    public void Add(long key, VectorFeature feature)
    {
        Extent.ExpandToInclude(feature.Geometry.EnvelopeInternal);
        Count++;
        _runs.Add(new ProcessedRow(key, feature.Index, JsonSerializer.Serialize(feature.Properties), _wkb.Write(feature.Geometry)));
    }

    /// <summary>The rows in order (a merge of the sorted runs).</summary>
    public IEnumerable<ProcessedRow> Rows() => _runs.Merged();

    /// <summary>The rows as features again (geometries parsed, properties as plain values): for small layers (course sections, tests).</summary>
    public IEnumerable<VectorFeature> Features()
    {
        var reader = new WKBReader();
        var srid = Crs.Code ?? 0;
        foreach (var row in Rows())
        {
            var geometry = reader.Read(row.Wkb);
            geometry.SRID = srid;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            using (var json = JsonDocument.Parse(row.Properties))
                foreach (var property in json.RootElement.EnumerateObject()) properties[property.Name] = AttributeValues.Plain(property.Value);
            yield return new VectorFeature(row.Index, geometry, properties);
        }
    }

    /// <summary>Adds a row processed elsewhere (the PostGIS engine's result) as it came back: properties as JSON, geometry as WKB.</summary>
    public void Add(long key, int index, string properties, byte[] wkb, Geometry geometry)
    {
        Extent.ExpandToInclude(geometry.EnvelopeInternal);
        Count++;
        _runs.Add(new ProcessedRow(key, index, properties, wkb));
    }

    public void Dispose() => _runs.Dispose();
}

/// <summary>One processed feature: its order key, index in the source file, properties as JSON and geometry as WKB.</summary>
public sealed record ProcessedRow(long Key, int Index, string Properties, byte[] Wkb);
