namespace TmLakehouse.Assets.Spatial.Output;

/// <summary>One file of a validated manifest, fetched to a local path: its landing key, and the manifest's format and crs.</summary>
public sealed record SpatialFile(string LandingKey, string LocalPath, string? Format, string? Crs);
