using System.IO.Compression;
using NetTopologySuite.IO.Esri;

namespace TmLakehouse.Assets.Spatial.Reading;

/// <summary>
/// An Esri Shapefile through NetTopologySuite.IO.Esri.Shapefile, given as a .zip of its parts or as the .shp with its sidecars
/// beside it. The .shx and .dbf are required (without them records cannot be found or carry no attributes); the .prj gives the CRS.
/// </summary>
internal static class ShapefileLayerReader
{
    public static VectorSource Open(string path, string file, SpatialReference? declared)
    {
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) return OpenShp(path, file, declared, _ => ReadShp(path, file));
        var (folder, shp) = Extract(path, file);
        try
        {
            return OpenShp(shp, file, declared, _ => ReadZipped(path, file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Each enumeration extracts the zip afresh and removes its parts at its end.</summary>
    private static IEnumerable<VectorFeature> ReadZipped(string path, string file)
    {
        var (folder, shp) = Extract(path, file);
        try
        {
            foreach (var feature in ReadShp(shp, file)) yield return feature;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string Folder, string Shp) Extract(string path, string file)
    {
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
                1 => (folder, shps[0]),
                0 => throw new SpatialInputException(file, null, "the zip holds no .shp file"),
                _ => throw new SpatialInputException(file, null, $"the zip holds {shps.Count} .shp files; send one layer per file"),
            };
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    private static VectorSource OpenShp(string shp, string file, SpatialReference? declared, Func<VectorSource, IEnumerable<VectorFeature>> read)
    {
        string? Sidecar(string extension) => Directory.GetFiles(Path.GetDirectoryName(shp)!, Path.GetFileNameWithoutExtension(shp) + ".*")
            .FirstOrDefault(f => Path.GetExtension(f).Equals(extension, StringComparison.OrdinalIgnoreCase));
        var missing = new[] { ".shx", ".dbf" }.Where(e => Sidecar(e) is null).ToList();
        if (missing.Count > 0)
            throw new SpatialInputException(file, null, $"the Shapefile has no {string.Join(" and no ", missing)} beside its .shp (send all its parts, or a .zip of them)");
        var prj = Sidecar(".prj") is { } p ? File.ReadAllText(p) : null;
        var crs = VectorFileReader.Choose(file, prj, declared);
        return new VectorSource(file, "Shapefile", crs, read);
    }

    private static IEnumerable<VectorFeature> ReadShp(string shp, string file)
    {
        NetTopologySuite.IO.Esri.Shapefiles.Readers.ShapefileReader reader;
        try
        {
            reader = Shapefile.OpenRead(shp);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or FormatException)
        {
            throw new SpatialInputException(file, null, $"not a readable Shapefile: {e.Message}", e);
        }
        using (reader)
            for (var i = 0; ; i++)
            {
                NetTopologySuite.Features.Feature feature;
                try
                {
                    bool deleted;
                    // Records marked deleted are not features (GDAL skips them too); the index counts the ones read.
                    do
                    {
                        if (!reader.Read(out deleted, out feature)) yield break;
                    } while (deleted);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or FormatException)
                {
                    throw new SpatialInputException(file, i, $"not a readable Shapefile record: {e.Message}", e);
                }
                if (feature.Geometry is null || feature.Geometry.IsEmpty) throw new SpatialInputException(file, i, "the record has no geometry (a null shape)");
                yield return new VectorFeature(i, feature.Geometry, AttributeValues.Of(feature.Attributes, out _));
            }
    }
}
