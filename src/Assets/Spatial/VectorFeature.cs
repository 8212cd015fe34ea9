using NetTopologySuite.Geometries;

namespace TmLakehouse.Assets.Spatial;

/// <summary>One feature: its position in the source file, its geometry and its attributes (strings, numbers, booleans, null).</summary>
public sealed record VectorFeature(int Index, Geometry Geometry, IReadOnlyDictionary<string, object?> Properties);
