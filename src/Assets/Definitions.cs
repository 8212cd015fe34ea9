using Lakehouse.Core.Assets;

namespace TmLakehouse.Assets;

/// <summary>The registry of every asset (placeholder until the asset branches land; the integrator replaces this file).</summary>
public static class Definitions
{
    public static IReadOnlyList<AssetDefinition> All() => [];
}
