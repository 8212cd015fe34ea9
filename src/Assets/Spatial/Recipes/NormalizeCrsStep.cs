using NetTopologySuite.Geometries;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Reprojects every coordinate to lon/lat WGS 84 (EPSG:4326) and checks the result is on the globe: coordinates out of
/// range mean the file's CRS is not what it or the manifest said, and fail the step naming the feature.
/// </summary>
public sealed record NormalizeCrsStep : VectorStep
{
    public override string Name => "normalize_crs";
    public override IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["target_crs"] = "EPSG:4326" };

    public override SpatialReference OutputCrs(SpatialReference input) => SpatialReference.Wgs84;

    public override Func<VectorFeature, VectorFeature> For(string file, SpatialReference crs)
    {
        var transform = crs.IsWgs84LonLat ? null : new TransformFilter(crs.ToWgs84());
        return feature =>
        {
            var geometry = feature.Geometry;
            if (transform is not null)
            {
                geometry = geometry.Copy();
                geometry.Apply(transform);
                geometry.GeometryChanged();
            }
            geometry.SRID = 4326;
            foreach (var c in geometry.Coordinates)
            {
                if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90)
                    throw new SpatialInputException(file, feature.Index,
                        $"coordinate ({c.X}, {c.Y}) is not a lon/lat position after reading it as {crs.Name}; the file's CRS is not {crs.Name} (declare it, e.g. \"crs\": \"EPSG:3857\" in the manifest)");
            }
            return feature with { Geometry = geometry };
        };
    }

    public override string PostGisSql(string source, string target) =>
        $"CREATE TABLE {target} AS SELECT feature_index, properties, ST_Transform(geometry, 4326) AS geometry FROM {source}";

    /// <summary>
    /// A CRS known only by its WKT (no EPSG code, so no SRID in spatial_ref_sys) is handed to PROJ as text: PostGIS 3's
    /// ST_Transform(geometry, from_proj, to_srid), so nothing is added to the server's spatial_ref_sys (PostGIS is compute only).
    /// </summary>
    public override string PostGisSql(string source, string target, SpatialReference crs) =>
        crs.Code is not null
            ? PostGisSql(source, target)
            : $"CREATE TABLE {target} AS SELECT feature_index, properties, ST_SetSRID(ST_Transform(geometry, '{crs.System.WKT.Replace("'", "''", StringComparison.Ordinal)}', 4326), 4326) AS geometry FROM {source}";

    private sealed class TransformFilter(ProjNet.CoordinateSystems.Transformations.MathTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var x = seq.GetX(i);
                var y = seq.GetY(i);
                transform.Transform(ref x, ref y);
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
