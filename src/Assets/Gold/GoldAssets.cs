using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Assets.Gold;

/// <summary>The Gold assets (one partition per course), each reading every ingest of its course from Silver <c>fact_telemetry_event</c>.</summary>
public static class GoldAssets
{
    public const string CourseDimension = BronzePartitions.CourseDimension;

    /// <summary>The upstream Silver asset, named after its table.</summary>
    public static AssetKey SilverTelemetryKey { get; } = KeyOf(SilverTables.TelemetryEvent);

    public static IReadOnlyList<AssetDefinition> All =>
    [
        GoldFactRoundsAsset.Definition,
        GoldPaceSummaryAsset.Definition,
        GoldSignalQualityAsset.Definition,
        GoldDeviceHealthErrorsAsset.Definition,
    ];

    /// <summary>The asset key of a table: <c>&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    public static AssetKey KeyOf(TableDefinition table) => new($"{table.Id.Namespace}/{table.Id.Name}");

    internal static AssetSpec SpecOf(TableDefinition table, string description) => new(KeyOf(table))
    {
        Description = description,
        Partitions = BronzePartitions.Courses,
        Checks = [new AssetCheckSpec("freshness", "The course's newest fix is at most 2 days old (warning).", AssetCheckSeverity.Warn, Blocking: false)],
        // A course's Gold partition reads every (course_id, ingest_date) partition of Silver for that course.
        Deps = [new AssetDependency(SilverTelemetryKey, new DimensionPartitionMapping(CourseDimension))],
    };
}
