using System.Text.Json;
using System.Text.RegularExpressions;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;
using ProjNet.IO.CoordinateSystems;

namespace TmLakehouse.Assets.Spatial;

/// <summary>
/// A coordinate reference system as users send it: <c>EPSG:4326</c>, <c>EPSG:3857</c>, the WGS 84 UTM zones
/// (<c>EPSG:32601</c>–<c>32660</c>, <c>32701</c>–<c>32760</c>), OGC URNs, OGC/ESRI WKT (a .prj, a GeoPackage definition)
/// or PROJJSON with an EPSG id. <see cref="Code"/> is the EPSG code when known.
/// </summary>
public sealed partial record SpatialReference(string Name, int? Code, CoordinateSystem System)
{
    public static SpatialReference Wgs84 { get; } = new("EPSG:4326", 4326, GeographicCoordinateSystem.WGS84);

    /// <summary>Whether coordinates are already lon/lat on WGS 84 (nothing to transform).</summary>
    public bool IsWgs84LonLat => Code == 4326;

    /// <summary>The transform from this CRS to lon/lat WGS 84.</summary>
    public MathTransform ToWgs84() =>
        new CoordinateTransformationFactory().CreateFromCoordinateSystems(System, GeographicCoordinateSystem.WGS84).MathTransform;

    /// <summary>Parses a CRS; null when the text names none this lakehouse can use (the caller names the file).</summary>
    public static SpatialReference? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.StartsWith('{')) return FromProjJson(text, out problem);
        if (AuthorityCode().Match(text) is { Success: true } named && named.Length == text.Length)
            return FromEpsg(int.Parse(named.Groups["code"].Value, global::System.Globalization.CultureInfo.InvariantCulture), out problem);
        if (text is "OGC:CRS84" or "urn:ogc:def:crs:OGC:1.3:CRS84" or "CRS84") return Wgs84;
        return FromWkt(text, out problem);
    }

    public static SpatialReference? FromEpsg(int code, out string? problem)
    {
        problem = null;
        switch (code)
        {
            case 4326:
                return Wgs84;
            case 3857 or 900913:
                return new SpatialReference("EPSG:3857", 3857, ProjectedCoordinateSystem.WebMercator);
            case >= 32601 and <= 32660:
                return new SpatialReference($"EPSG:{code}", code, ProjectedCoordinateSystem.WGS84_UTM(code - 32600, true));
            case >= 32701 and <= 32760:
                return new SpatialReference($"EPSG:{code}", code, ProjectedCoordinateSystem.WGS84_UTM(code - 32700, false));
            default:
                problem = $"EPSG:{code} is not a CRS this lakehouse knows by code (EPSG:4326, 3857 and the WGS 84 UTM zones are); send its WKT instead";
                return null;
        }
    }

    private static SpatialReference? FromWkt(string wkt, out string? problem)
    {
        // Only an AUTHORITY/ID directly inside the root is the CRS's own code (deeper ones name its datum, units, ...).
        var own = WktAuthority().Matches(wkt).FirstOrDefault(m => DepthAt(wkt, m.Index) == 1);
        if (own is not null && FromEpsg(int.Parse(own.Groups["code"].Value, global::System.Globalization.CultureInfo.InvariantCulture), out _) is { } byCode)
        {
            problem = null;
            return byCode;
        }
        // ESRI .prj files (GDAL writes these) carry names, no codes; Mercator_Auxiliary_Sphere is not a ProjNET projection.
        var name = WktName().Match(wkt) is { Success: true } m ? m.Groups["name"].Value : "";
        if (name is "WGS_1984_Web_Mercator_Auxiliary_Sphere" or "WGS 84 / Pseudo-Mercator") return FromEpsg(3857, out problem);
        if (name is "GCS_WGS_1984" or "WGS 84" && wkt.TrimStart().StartsWith("GEOGCS", StringComparison.OrdinalIgnoreCase)) return FromEpsg(4326, out problem);
        if (EsriUtm().Match(name) is { Success: true } utm)
            return FromEpsg((utm.Groups["hemisphere"].Value == "N" ? 32600 : 32700) + int.Parse(utm.Groups["zone"].Value, global::System.Globalization.CultureInfo.InvariantCulture), out problem);
        try
        {
            problem = null;
            var system = (CoordinateSystem)CoordinateSystemWktReader.Parse(wkt);
            return new SpatialReference(string.IsNullOrEmpty(system.Name) ? "WKT" : system.Name, null, system);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidCastException or FormatException or InvalidOperationException)
        {
            problem = $"its CRS is not one this lakehouse can read ({e.Message})";
            return null;
        }
    }

    /// <summary>How many brackets are open at a position of WKT (quoted names excluded).</summary>
    private static int DepthAt(string wkt, int position)
    {
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < position; i++)
        {
            var c = wkt[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '[' or '(') depth++;
            else if (!quoted && c is ']' or ')') depth--;
        }
        return depth;
    }

    private static SpatialReference? FromProjJson(string json, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("id", out var id)
                && id.TryGetProperty("authority", out var authority) && authority.GetString() == "EPSG"
                && id.TryGetProperty("code", out var code) && code.TryGetInt32(out var value))
                return FromEpsg(value, out problem);
            problem = "its PROJJSON CRS has no EPSG id";
            return null;
        }
        catch (JsonException e)
        {
            problem = $"its PROJJSON CRS is not JSON ({e.Message})";
            return null;
        }
    }

    [GeneratedRegex(@"^\s*(?:EPSG:|urn:ogc:def:crs:EPSG::|urn:ogc:def:crs:EPSG:[0-9.]*:|http://www\.opengis\.net/def/crs/EPSG/0/)(?<code>\d{4,6})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorityCode();

    [GeneratedRegex(@"(?:AUTHORITY|ID)\[\s*""EPSG""\s*,\s*""?(?<code>\d+)""?\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex WktAuthority();

    [GeneratedRegex(@"^\s*[A-Z]+\[\s*""(?<name>[^""]*)""")]
    private static partial Regex WktName();

    [GeneratedRegex(@"^WGS_1984_UTM_Zone_(?<zone>\d{1,2})(?<hemisphere>[NS])$")]
    private static partial Regex EsriUtm();
}
