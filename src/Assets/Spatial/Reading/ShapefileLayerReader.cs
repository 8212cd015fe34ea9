using System.IO.Compression;
using NetTopologySuite.IO.Esri;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// An Esri Shapefile through NetTopologySuite.IO.Esri.Shapefile, given as a .zip of its parts or as the .shp with its sidecars
/// beside it. The .shx and .dbf are required (without them records cannot be found or carry no attributes); the .prj gives the CRS.
/// </summary>
internal static class ShapefileLayerReader
{
    public static VectorLayer Read(string path, string file, SpatialReference? declared)
    {
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return ReadShp(path, file, declared);
        var folder = Directory.CreateTempSubdirectory("tm-shapefile-").FullName;
        try
        {
            try
            {
                using var zip = ZipFile.OpenRead(path);
                foreach (var entry in zip.Entries.Where(e => e.Name.Length > 0 && !e.FullName.Contains("__MACOSX", StringComparison.Ordinal)))
                    entry.ExtractToFile(Path.Combine(folder, entry.Name), overwrite: true); // by name only: no path from the zip is trusted
            }
            catch (InvalidDataException e)
            {
                throw new SpatialInputException(file, null, $"not a readable zip archive: {e.Message}", e);
            }
            var shps = Directory.GetFiles(folder, "*.*").Where(f => f.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).ToList();
            return shps.Count switch
            {
                1 => ReadShp(shps[0], file, declared),
                0 => throw new SpatialInputException(file, null, "the zip holds no .shp file"),
                _ => throw new SpatialInputException(file, null, $"the zip holds {shps.Count} .shp files; send one layer per file"),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static VectorLayer ReadShp(string shp, string file, SpatialReference? declared)
    {
        string? Sidecar(string extension) => Directory.GetFiles(Path.GetDirectoryName(shp)!, Path.GetFileNameWithoutExtension(shp) + ".*")
            .FirstOrDefault(f => Path.GetExtension(f).Equals(extension, StringComparison.OrdinalIgnoreCase));
        var missing = new[] { ".shx", ".dbf" }.Where(e => Sidecar(e) is null).ToList();
        if (missing.Count > 0)
            throw new SpatialInputException(file, null, $"the Shapefile has no {string.Join(" and no ", missing)} beside its .shp (send all its parts, or a .zip of them)");
        var prj = Sidecar(".prj") is { } p ? File.ReadAllText(p) : null;
        var crs = VectorFileReader.Choose(file, prj, declared);
        NetTopologySuite.Features.Feature[] features;
        try
        {
            features = Shapefile.ReadAllFeatures(shp);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or FormatException)
        {
            throw new SpatialInputException(file, null, $"not a readable Shapefile: {e.Message}", e);
        }
        var result = new List<VectorFeature>(features.Length);
        for (var i = 0; i < features.Length; i++)
        {
            if (features[i].Geometry is null || features[i].Geometry.IsEmpty) throw new SpatialInputException(file, i, "the record has no geometry (a null shape)");
            result.Add(new VectorFeature(i, features[i].Geometry, AttributeValues.Of(features[i].Attributes, out _)));
        }
        return new VectorLayer(file, "Shapefile", crs, result);
    }
}
