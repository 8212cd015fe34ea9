using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tests.Partitions;
using Microsoft.Extensions.Time.Testing;
using static Lakehouse.Core.Tests.Assets.Some;

namespace Lakehouse.Core.Tests.Assets;

public sealed class MultiAssetTests
{
    private static readonly StaticPartitionsDefinition Days = new("day", ["d1", "d2"]);

    // raw → (events + health, one computation) ; gold reads health only.
    private static AssetDefinition Silver(PartitionsDefinition? healthPartitions = null) => AssetDefinition.Multi(
        [
            new AssetSpec(Key("silver/events")) { Partitions = Days, Deps = [Dep("bronze/raw")], Group = "silver" },
            new AssetSpec(Key("silver/health")) { Partitions = healthPartitions ?? Days, Deps = [Dep("bronze/raw")], Description = "health", Group = "quality" },
        ],
        Asset("silver/events").Compute);

    private static AssetGraph Graph() => AssetGraph.Build([Asset("bronze/raw", Days), Silver(), Asset("gold/health", Days, Dep("silver/health"))]);

    private static Task<RunPlan> PlanAsync(AssetGraph graph, string selection, params string[] partitions) =>
        new RunPlanner(graph, new FakePartitionKeySource(), new FakeTimeProvider()).PlanAsync(new RunRequest(selection) { Partitions = partitions }, CancellationToken.None);

    [Fact]
    public void Graph_KnowsEveryAssetOfAMultiAsset_WithItsOwnSpec_AndTheStepThatMaterializesIt()
    {
        var graph = Graph();

        Assert.Equal(["bronze/raw", "silver/events", "silver/health", "gold/health"], Keys(graph.Assets));
        Assert.Equal("health", graph.Spec(Key("silver/health")).Description);
        Assert.Equal(Key("silver/events"), graph.StepAssetOf(Key("silver/health")));
        Assert.Same(graph.Get(Key("silver/events")), graph.Get(Key("silver/health")));
        Assert.Equal(["silver/health"], Keys(graph.Groups["quality"]));
        Assert.Equal(["gold/health"], Keys(graph.Children(Key("silver/health"))));
        Assert.Equal(Key("nope/x"), graph.StepAssetOrSelf(Key("nope/x")));
    }

    [Fact]
    public void Build_RefusesAMultiAssetWhoseAssetsArePartitionedDifferently()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("bronze/raw", Days), Silver(new StaticPartitionsDefinition("day", ["d9"]))]));
        Assert.Contains("silver/health is materialized with silver/events by one computation, so it must have the same partitions", error.Message);
    }

    [Fact]
    public void Build_RefusesTwoComputationsThatWaitOnEachOther()
    {
        // m1 = {a, b}, m2 = {c, d}: b reads c and d reads a, so neither step can go first.
        var m1 = AssetDefinition.Multi([new AssetSpec(Key("t/a")), new AssetSpec(Key("t/b")) { Deps = [Dep("t/c")] }], Asset("t/a").Compute);
        var m2 = AssetDefinition.Multi([new AssetSpec(Key("t/c")), new AssetSpec(Key("t/d")) { Deps = [Dep("t/a")] }], Asset("t/c").Compute);

        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([m1, m2]));

        Assert.Contains("Step cycle t/a -> t/c -> t/a", error.Message);
    }

    [Fact]
    public async Task Plan_OfEitherAssetOfAMultiAsset_PlansItsOneStep()
    {
        var graph = Graph();

        var byHealth = await PlanAsync(graph, "silver/health", "d1");
        var both = await PlanAsync(graph, "silver/*", "d1");

        Assert.Equal(["silver/events[d1]"], byHealth.Steps.Select(s => s.Key.ToString()));
        Assert.Equal(["silver/events[d1]"], both.Steps.Select(s => s.Key.ToString()));
        Assert.Equal(["silver/events", "silver/health"], Keys(both.Assets));
    }

    [Fact]
    public async Task Plan_OfADownstreamOfTheSecondAsset_WaitsForTheMultiAssetStep_AndReadsTheAssetItNamed()
    {
        var plan = await PlanAsync(Graph(), "+gold/health", "d2");

        Assert.Equal(["bronze/raw[d2]", "silver/events[d2]", "gold/health[d2]"], plan.Steps.Select(s => s.Key.ToString()));
        var gold = plan.Get(new StepKey(Key("gold/health"), new PartitionKey("d2")));
        Assert.Equal(["silver/events[d2]"], gold.DependsOn.Select(s => s.ToString()));
        Assert.Equal(["silver/health"], Keys(gold.UpstreamPartitions.Keys));
        Assert.Equal(["d2"], gold.UpstreamPartitions[Key("silver/health")].Select(p => p.Value));
        var silver = plan.Get(new StepKey(Key("silver/events"), new PartitionKey("d2")));
        Assert.Equal(["bronze/raw"], Keys(silver.UpstreamPartitions.Keys));
    }
}
