using Lakehouse.Core.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Maintenance;
using TmLakehouse.Assets.Models;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Assets.Spatial;

namespace TmLakehouse.Assets;

/// <summary>
/// The one registry of every asset of the Tagmarshal lakehouse (schedules live beside them in the orchestrator): the assets
/// written in C# and the SQL models of the models folder (<see cref="SqlModelFolder"/>), loaded and validated here.
/// </summary>
public static class Definitions
{
    /// <summary>The assets defined in C#.</summary>
    public static IReadOnlyList<AssetDefinition> Code() =>
    [
        BronzeRoundsRawAsset.Definition,
        SilverTelemetryAsset.Definition,
        .. MaintenanceAssets.All,
        .. SpatialBatchAssets.All,
    ];

    /// <summary>The sensors of the lakehouse: the landing-zone manifest sensor.</summary>
    public static IReadOnlyList<Lakehouse.Core.Sensors.SensorDefinition> Sensors() => [Landing.ManifestSensor.Definition];

    /// <summary>Every asset, with the models of TM_MODELS_DIR or the repository's models/ folder.</summary>
    public static IReadOnlyList<AssetDefinition> All() => All(SqlModelFolder.Find(Environment.GetEnvironmentVariable(SqlModelFolder.Variable)));

    /// <summary>Every asset, with the models of <paramref name="modelsFolder"/> (none when null).</summary>
    public static IReadOnlyList<AssetDefinition> All(string? modelsFolder)
    {
        var code = Code();
        return [.. code, .. SqlModelDefinitions.Of(Models(modelsFolder, code), code)];
    }

    /// <summary>The models of a folder, validated against the C# assets.</summary>
    public static SqlModelProject Models(string? modelsFolder, IReadOnlyList<AssetDefinition>? code = null) =>
        modelsFolder is null ? SqlModelProject.Empty : SqlModelProject.Load(modelsFolder, (code ?? Code()).SelectMany(d => d.Keys).ToHashSet());
}
