using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using TmLakehouse.Assets.Spatial.Recipes;

namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// A metadata document per dataset in the spirit of ISO 19115 (§4): identification (title, abstract), extent, reference
/// system, feature count, formats, and lineage (source files with SHA-256, the run, the recipe's steps with parameters).
/// Stored as JSON beside the data and linked from the ledger.
/// </summary>
public sealed record DatasetMetadata
{
    [JsonPropertyName("standard")] public string Standard { get; init; } = "ISO 19115-1:2014 (core elements, JSON)";
    [JsonPropertyName("identification")] public required DatasetIdentification Identification { get; init; }
    [JsonPropertyName("extent")] public required double[] GeographicBoundingBox { get; init; }
    [JsonPropertyName("reference_system")] public string ReferenceSystem { get; init; } = "EPSG:4326";
    [JsonPropertyName("feature_count")] public long FeatureCount { get; init; }
    [JsonPropertyName("distribution_formats")] public IReadOnlyList<string> DistributionFormats { get; init; } = ["GeoParquet 1.1", "Apache Iceberg"];
    [JsonPropertyName("lineage")] public required DatasetLineage Lineage { get; init; }
    [JsonPropertyName("date_stamp")] public DateTimeOffset DateStamp { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static DatasetMetadata Read(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<DatasetMetadata>(json, Json) ?? throw new InvalidDataException("The metadata document is empty.");

    /// <summary>The document of one batch's processed layers.</summary>
    public static DatasetMetadata Of(string title, string? @abstract, string table, IReadOnlyList<ProcessedLayer> layers,
        IReadOnlyList<DatasetSource> sources, string runId, string engine, VectorRecipe recipe, DateTimeOffset now)
    {
        var extent = new Envelope();
        foreach (var layer in layers) extent.ExpandToInclude(layer.Extent);
        return new DatasetMetadata
        {
            Identification = new DatasetIdentification(title, @abstract ?? "", table),
            GeographicBoundingBox = extent.IsNull ? [] : [extent.MinX, extent.MinY, extent.MaxX, extent.MaxY],
            FeatureCount = layers.Sum(l => l.Count),
            Lineage = new DatasetLineage(sources, runId, engine, recipe.Name,
                recipe.Steps.Select(s => new DatasetProcessStep(s.Name, s.Parameters)).ToList()),
            DateStamp = now,
        };
    }
}

public sealed record DatasetIdentification(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("abstract")] string Abstract,
    [property: JsonPropertyName("table")] string Table);

/// <summary>One source file: its landing key, SHA-256, format and the CRS it was read in.</summary>
public sealed record DatasetSource(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("crs")] string Crs,
    [property: JsonPropertyName("features")] int Features);

public sealed record DatasetLineage(
    [property: JsonPropertyName("sources")] IReadOnlyList<DatasetSource> Sources,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("recipe")] string Recipe,
    [property: JsonPropertyName("process_steps")] IReadOnlyList<DatasetProcessStep> Steps);

public sealed record DatasetProcessStep(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters);
