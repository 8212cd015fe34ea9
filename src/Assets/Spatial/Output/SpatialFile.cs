namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>
/// One file of a validated manifest, fetched to a local path: its landing key, the manifest's format and crs, and the
/// dataset (the <c>spatial/&lt;name&gt;</c> table) it feeds — by default named after the file.
/// </summary>
public sealed record SpatialFile(string LandingKey, string LocalPath, string? Format, string? Crs, string? Dataset = null)
{
    /// <summary>The table name: the manifest's dataset, else the file's stem, lower case, other characters as '_'.</summary>
    public string DatasetName => SpatialTables.NameOf(Dataset ?? Path.GetFileNameWithoutExtension(LandingKey));
}
