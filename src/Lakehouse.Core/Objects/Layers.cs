namespace Lakehouse.Core.Objects;

/// <summary>The layer names that have a bucket of their own.</summary>
public static class Layers
{
    public const string Landing = "landing";
    public const string Bronze = "bronze";
    public const string Silver = "silver";
    public const string Gold = "gold";
    /// <summary>Spatial tables, their COGs and metadata documents (LANDING_AND_SPATIAL §4).</summary>
    public const string Spatial = "spatial";
    public const string Quarantine = "quarantine";
    public const string Observability = "observability";

    public static IReadOnlyList<string> All { get; } = [Landing, Bronze, Silver, Gold, Spatial, Quarantine, Observability];
}
