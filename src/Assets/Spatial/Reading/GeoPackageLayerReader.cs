using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// A GeoPackage's one feature table: geometries through NetTopologySuite.IO.GeoPackage, the CRS from gpkg_spatial_ref_sys
/// (its EPSG code, else its WKT definition), every other column as an attribute.
/// </summary>
internal static class GeoPackageLayerReader
{
    public static VectorSource Open(string path, string file, SpatialReference? declared)
    {
        using var connection = Connect(path, file);
        try
        {
            var layers = Rows(connection, "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name, column_name");
            if (layers.Count == 0) throw new SpatialInputException(file, null, "the GeoPackage has no feature table");
            var tables = layers.Select(l => (string)l[0]!).Distinct().ToList();
            if (tables.Count > 1) throw new SpatialInputException(file, null, $"the GeoPackage has {tables.Count} feature tables ({string.Join(", ", tables)}); send one layer per file");
            var geometryColumns = layers.Select(l => (string)l[1]!).ToList();
            var srsId = Convert.ToInt64(layers[0][2], System.Globalization.CultureInfo.InvariantCulture);
            var crs = CrsOf(connection, file, srsId, declared);
            var source = new VectorSource(file, "GeoPackage", crs, _ => ReadRows(path, file, tables[0], geometryColumns));
            // The contract wants one geometry column called geometry: the source's one is renamed, a second one is reported.
            source.NoteGeometryColumns(geometryColumns.Skip(1));
            return source;
        }
        catch (SqliteException e)
        {
            throw new SpatialInputException(file, null, $"not a readable GeoPackage: {e.Message}", e);
        }
    }

    private static SqliteConnection Connect(string path, string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new SpatialInputException(file, null, $"not a readable GeoPackage: {e.Message}", e);
        }
    }

    private static IEnumerable<VectorFeature> ReadRows(string path, string file, string table, IReadOnlyList<string> geometryColumns)
    {
        using var connection = Connect(path, file);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var reader = new GeoPackageGeoReader();
        var primary = geometryColumns[0];
        using var rows = command.ExecuteReader();
        for (var index = 0; rows.Read(); index++)
        {
            NetTopologySuite.Geometries.Geometry? geometry = null;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < rows.FieldCount; c++)
            {
                var name = rows.GetName(c);
                if (name == primary)
                {
                    if (!rows.IsDBNull(c)) geometry = GeometryOf(reader, (byte[])rows.GetValue(c), file, index);
                    continue;
                }
                if (geometryColumns.Contains(name)) continue;
                properties[name] = AttributeValues.Plain(rows.IsDBNull(c) ? null : rows.GetValue(c));
            }
            if (geometry is null || geometry.IsEmpty) throw new SpatialInputException(file, index, "the feature has no geometry");
            yield return new VectorFeature(index, geometry, properties);
        }
    }

    private static NetTopologySuite.Geometries.Geometry GeometryOf(GeoPackageGeoReader reader, byte[] blob, string file, int index)
    {
        try
        {
            return reader.Read(blob);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or ParseException or IOException)
        {
            throw new SpatialInputException(file, index, $"its geometry blob cannot be read: {e.Message}", e);
        }
    }

    private static SpatialReference CrsOf(SqliteConnection connection, string file, long srsId, SpatialReference? declared)
    {
        var rows = Rows(connection, "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id", ("$id", srsId));
        if (rows.Count == 0 || srsId <= 0) return VectorFileReader.Choose(file, null, declared); // -1/0: "undefined" in the spec
        var organization = rows[0][0] as string;
        var code = Convert.ToInt32(rows[0][1], System.Globalization.CultureInfo.InvariantCulture);
        if (string.Equals(organization, "EPSG", StringComparison.OrdinalIgnoreCase) && SpatialReference.FromEpsg(code, out _) is { } known) return known;
        return VectorFileReader.Choose(file, rows[0][2] as string, declared);
    }

    private static List<object?[]> Rows(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var result = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            result.Add(row);
        }
        return result;
    }
}
