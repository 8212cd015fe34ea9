using System.IO.Compression;
using Npgsql;
using TmLakehouse.Assets.Spatial.Raster;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Loads a layer's source file into the PostGIS engine's transient schema with GDAL's <c>ogr2ogr</c> (LANDING_AND_SPATIAL §3),
/// so the server receives the user's file as GDAL reads it rather than features this process serialized. The table
/// <c>{schema}.load</c> gets the geometry as <c>geometry</c> with no SRID (<c>-a_srs None</c>: the engine sets the CRS our
/// reader chose, the file's or the manifest's, and nothing is added to the server's spatial_ref_sys), the attributes GDAL
/// reads, and <c>tm_fid</c> numbered 1.. in file order, which is the reader's feature index + 1.
/// </summary>
public sealed class Ogr2OgrLoader(IGdalRunner gdal)
{
    public const string FidColumn = "tm_fid";

    public async Task LoadAsync(string connectionString, string schema, VectorSource source, CancellationToken cancellationToken)
    {
        var path = source.LocalPath ?? throw new InvalidOperationException($"{source.SourceFile}: the layer was not read from a file, so ogr2ogr has nothing to load");
        var (conninfo, environment) = Conninfo(connectionString);
        var result = await gdal.RunAsync("ogr2ogr",
        [
            "-f", "PostgreSQL", conninfo, GdalPathOf(path, source.SourceFile),
            "-nln", $"{schema}.load", "-nlt", "GEOMETRY", "-dim", "XY", "-a_srs", "None", "-unsetFid",
            "-lco", $"FID={FidColumn}", "-lco", $"GEOMETRY_NAME={VectorLayer.GeometryColumn}", "-lco", "SPATIAL_INDEX=NONE",
        ], environment, cancellationToken);
        if (result.ExitCode != 0)
            throw new SpatialInputException(source.SourceFile, null, $"ogr2ogr could not load it into PostGIS (exit {result.ExitCode}): {result.StandardError.Trim()}");
    }

    /// <summary>
    /// The path GDAL opens: a zipped Shapefile through /vsizip/ down to its one .shp (wherever the zip holds it); anything else as is.
    /// </summary>
    private static string GdalPathOf(string path, string file)
    {
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return path;
        using var zip = ZipFile.OpenRead(path);
        var shp = zip.Entries.Where(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains("__MACOSX", StringComparison.Ordinal)).ToList();
        if (shp.Count != 1) throw new SpatialInputException(file, null, $"the zip holds {shp.Count} .shp files; send one layer per file");
        return $"/vsizip/{path}/{shp[0].FullName}";
    }

    /// <summary>The libpq connection string GDAL's PostgreSQL driver takes, and the password apart, for PGPASSWORD (arguments are visible to every user of the machine).</summary>
    private static (string Conninfo, Dictionary<string, string> Environment) Conninfo(string connectionString)
    {
        var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
        static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var parts = new List<string> { $"host={Quote(npgsql.Host ?? "localhost")}", $"port={npgsql.Port}" };
        if (!string.IsNullOrEmpty(npgsql.Database)) parts.Add($"dbname={Quote(npgsql.Database)}");
        if (!string.IsNullOrEmpty(npgsql.Username)) parts.Add($"user={Quote(npgsql.Username)}");
        if (npgsql.SslMode is not SslMode.Disable and not SslMode.Prefer) parts.Add($"sslmode={npgsql.SslMode.ToString().ToLowerInvariant().Replace("verify", "verify-", StringComparison.Ordinal)}");
        var environment = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(npgsql.Password)) environment["PGPASSWORD"] = npgsql.Password;
        return ("PG:" + string.Join(' ', parts), environment);
    }
}
