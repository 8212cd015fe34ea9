using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Orchestrator.Tests.Schedules;

/// <summary>A toy graph like the lakehouse's: landed (course_id × ingest_date, registered keys) → cleaned, plus an unpartitioned maintenance asset.</summary>
internal static class LandedAssets
{
    public const string RegisteredKeys = "landed";

    public static readonly PartitionsDefinition Partitions = new MultiPartitionsDefinition(
        [("course_id", new DynamicPartitionsDefinition("courses", "course_id")), ("ingest_date", new DynamicPartitionsDefinition("dates", "ingest_date"))],
        RegisteredKeys);

    public static IReadOnlyList<AssetDefinition> Definitions() =>
    [
        Define(new AssetSpec(new AssetKey("bronze/landed")) { Partitions = Partitions }),
        Define(new AssetSpec(new AssetKey("silver/cleaned")) { Partitions = Partitions, Deps = [new AssetDependency(new AssetKey("bronze/landed"))] }),
        Define(new AssetSpec(new AssetKey("maintenance/compact")) { Group = "maintenance" }),
    ];

    private static AssetDefinition Define(AssetSpec spec) =>
        AssetDefinition.Create(spec, (_, _) => Task.FromResult(new MaterializeResult()));
}
