using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Assets.Tests.Spatial;

/// <summary>
/// Input files for the spatial tests: GeoJSON written here from known lon/lat polygons, and Shapefiles and GeoPackages made
/// from it by GDAL's ogr2ogr (an independent writer, installed by scripts/ensure-test-prereqs.sh).
/// </summary>
internal sealed class SpatialFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("tm-spatial-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Squares near Erin Hills (lon/lat), one per (hole, section), sharing edges like real course sections.</summary>
    public static IReadOnlyList<(int Hole, int Section, (double X, double Y)[] Ring)> Sections { get; } =
        Enumerable.Range(0, 6).Select(i =>
        {
            double x0 = -88.05 + (i % 3) * 0.001, y0 = 43.69 + (i / 3) * 0.001;
            return (i / 3 + 1, i % 3 + 1, new[] { (x0, y0), (x0 + 0.001, y0), (x0 + 0.001, y0 + 0.001), (x0, y0 + 0.001), (x0, y0) });
        }).ToList();

    public static double MercatorX(double lon) => lon * Math.PI / 180 * 6378137;
    public static double MercatorY(double lat) => Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360)) * 6378137;

    /// <summary>A GeoJSON FeatureCollection of the sections; <paramref name="project"/> maps lon/lat to the file's coordinates.</summary>
    public string GeoJson(string name, Func<(double X, double Y), (double X, double Y)>? project = null, string? crsName = null,
        string? extraProperty = null, IEnumerable<string>? extraFeatures = null)
    {
        project ??= p => p;
        var features = Sections.Select(s =>
        {
            var ring = string.Join(",", s.Ring.Select(project).Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.X:R},{p.Y:R}]")));
            return "{\"type\":\"Feature\",\"properties\":{\"hole\":" + s.Hole + ",\"section\":" + s.Section
                   + ",\"name\":\"h" + s.Hole + "s" + s.Section + "\"" + extraProperty + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" + ring + "]]}}";
        }).Concat(extraFeatures ?? []);
        var crs = crsName is null ? "" : "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crsName + "\"}},";
        return Write(name, "{\"type\":\"FeatureCollection\"," + crs + "\"features\":[" + string.Join(",", features) + "]}");
    }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>A one-band GeoTIFF of <paramref name="size"/>² near Erin Hills in Web Mercator, made by gdal_create (an independent writer).</summary>
    public static string MercatorTiff(string folder, string name, int size)
    {
        var path = Path.Combine(folder, name);
        var start = new ProcessStartInfo("gdal_create") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-q", "-of", "GTiff", "-outsize", $"{size}", $"{size}", "-bands", "1", "-ot", "Byte", "-burn", "7",
                     "-a_srs", "EPSG:3857", "-a_ullr", "-9801000", "5420000", "-9800000", "5419000", path })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return path;
    }

    /// <summary>Runs ogr2ogr -f FORMAT OUT IN [args] and returns OUT.</summary>
    public string Ogr2Ogr(string format, string output, string input, params string[] args)
    {
        var path = Path.Combine(Folder, output);
        var start = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-f", format, path, input }.Concat(args)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ogr2ogr failed: {error}");
        return path;
    }

    /// <summary>A lon/lat sections GeoJSON turned by ogr2ogr into a Shapefile in <paramref name="epsg"/>, zipped.</summary>
    public string ZippedShapefile(string name, int epsg, params string[] leaveOut)
    {
        var source = GeoJson($"{name}-source.geojson");
        var folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(folder);
        Ogr2Ogr("ESRI Shapefile", Path.Combine(name, "sections.shp"), source, "-t_srs", $"EPSG:{epsg}");
        var zip = Path.Combine(Folder, $"{name}.zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var file in Directory.GetFiles(folder).Where(f => !leaveOut.Contains(Path.GetExtension(f))))
            archive.CreateEntryFromFile(file, "sections/" + Path.GetFileName(file));
        return zip;
    }
}
