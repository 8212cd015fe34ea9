using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using static Lakehouse.Core.Tests.Assets.Some;

namespace Lakehouse.Core.Tests.Assets;

public class AssetGraphTests
{
    private static readonly DynamicPartitionsDefinition ByCourse = new("courses", "course_id");
    private static readonly DailyPartitionsDefinition ByDay = new("ingest_date", new DateOnly(2025, 6, 1));
    private static readonly MultiPartitionsDefinition ByCourseAndDay = new([("course_id", ByCourse), ("ingest_date", ByDay)]);

    private static AssetGraph Diamond() => AssetGraph.Build(
    [
        Asset("gold/report", "silver/b", "silver/a"),
        Asset("silver/b", "bronze/raw"),
        Asset("silver/a", "bronze/raw"),
        Asset("bronze/raw"),
        Asset("bronze/other"),
        Asset("gold/summary", "gold/report"),
    ]);

    [Fact]
    public void Assets_AreTopologicalWithTiesByKey_WhateverTheInputOrder()
    {
        var graph = Diamond();

        Assert.Equal(["bronze/other", "bronze/raw", "silver/a", "silver/b", "gold/report", "gold/summary"], Keys(graph.Assets));
    }

    [Fact]
    public void Assets_PutAnAssetAfterItsDeepestParent_WhenParentsAreAtDifferentDepths()
    {
        var graph = AssetGraph.Build([Asset("a/z"), Asset("b/y", "a/z"), Asset("c/x", "a/z", "b/y")]);

        Assert.Equal(["a/z", "b/y", "c/x"], Keys(graph.Assets));
    }

    [Fact]
    public void ParentsAndChildren_AreTheDirectNeighbours()
    {
        var graph = Diamond();

        Assert.Equal(["silver/b", "silver/a"], Keys(graph.Parents(Key("gold/report"))));
        Assert.Equal(["silver/a", "silver/b"], Keys(graph.Children(Key("bronze/raw"))));
        Assert.Empty(graph.Parents(Key("bronze/raw")));
        Assert.Empty(graph.Children(Key("gold/summary")));
    }

    [Fact]
    public void UpstreamAndDownstream_AreTransitive_InTopologicalOrder_WithoutTheKeyItself()
    {
        var graph = Diamond();

        Assert.Equal(["bronze/raw", "silver/a", "silver/b", "gold/report"], Keys(graph.Upstream(Key("gold/summary"))));
        Assert.Equal(["silver/a", "silver/b", "gold/report", "gold/summary"], Keys(graph.Downstream(Key("bronze/raw"))));
        Assert.Empty(graph.Upstream(Key("bronze/other")));
        Assert.Empty(graph.Downstream(Key("bronze/other")));
    }

    [Fact]
    public void GetAndTryGet_FindDefinitions_AndReportUnknownKeys()
    {
        var graph = Diamond();

        Assert.Equal(Key("silver/a"), graph.Get(Key("silver/a")).Key);
        Assert.True(graph.TryGet(Key("silver/b"), out var found));
        Assert.Equal(Key("silver/b"), found.Key);
        Assert.False(graph.TryGet(Key("silver/c"), out _));
        var error = Assert.Throws<KeyNotFoundException>(() => graph.Get(Key("silver/c")));
        Assert.Contains("silver/c", error.Message);
        Assert.Throws<KeyNotFoundException>(() => graph.Parents(Key("silver/c")));
    }

    [Fact]
    public void Groups_DefaultToTheKeyPrefix_AndHonourAnExplicitGroup()
    {
        var graph = AssetGraph.Build(
        [
            Asset("bronze/raw"),
            Asset("silver/b", "bronze/raw"),
            Asset("silver/a", "bronze/raw"),
            Asset("gold/kpi", "silver/a").InGroup("reporting"),
        ]);

        Assert.Equal(["bronze", "reporting", "silver"], graph.Groups.Keys.ToArray());
        Assert.Equal(["silver/a", "silver/b"], Keys(graph.Groups["silver"]));
        Assert.Equal(["gold/kpi"], Keys(graph.Groups["reporting"]));
    }

    [Fact]
    public void Build_Rejects_ADuplicateKey()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("silver/a"), Asset("silver/a")]));

        Assert.Contains("silver/a is defined 2 times", error.Message);
    }

    [Fact]
    public void Build_Rejects_AnUnknownDependency_NamingTheAssetAndTheMissingOne()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("silver/a", "bronze/missing")]));

        Assert.Contains("silver/a depends on bronze/missing, which is not defined", error.Message);
    }

    [Fact]
    public void Build_Rejects_ACycle_NamingItsPath()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("x/a", "x/b"), Asset("x/b", "x/c"), Asset("x/c", "x/a"), Asset("x/d", "x/a")]));

        Assert.Contains("x/a -> x/b -> x/c -> x/a", error.Message);
        Assert.Single(error.Problems);
    }

    [Fact]
    public void Build_Rejects_AnAssetThatDependsOnItself()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("x/a", "x/a")]));

        Assert.Contains("x/a -> x/a", error.Message);
    }

    [Fact]
    public void Build_NamesEachCycle_WhenThereAreSeveral()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("p/a", "p/b"), Asset("p/b", "p/a"), Asset("q/a", "q/b"), Asset("q/b", "q/c"), Asset("q/c", "q/a")]));

        Assert.Contains("p/a -> p/b -> p/a", error.Message);
        Assert.Contains("q/a -> q/b -> q/c -> q/a", error.Message);
    }

    [Fact]
    public void Build_ListsEveryProblem_InOneMessage()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("s/a"), Asset("s/a"), Asset("s/b", "s/nope"), Asset("s/c", "s/d"), Asset("s/d", "s/c")]));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("s/a is defined 2 times", error.Message);
        Assert.Contains("s/b depends on s/nope", error.Message);
        Assert.Contains("s/c -> s/d -> s/c", error.Message);
    }

    [Fact]
    public void Build_Rejects_AGroupNameASelectionCannotWrite()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("gold/kpi").InGroup("Gold reports")]));

        Assert.Contains("gold/kpi is in group 'Gold reports', which a selection cannot name", error.Message);
    }

    [Fact]
    public void Build_Rejects_ADependencyListedTwice()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build([Asset("s/a"), Asset("s/b", "s/a", "s/a")]));

        Assert.Contains("s/b lists dependency s/a more than once", error.Message);
    }

    [Fact]
    public void Build_Rejects_IdentityBetweenDifferentDimensions()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("silver/events", ByCourseAndDay), Asset("gold/rounds", ByCourse, Dep("silver/events"))]));

        Assert.Contains("gold/rounds depends on silver/events without a partition mapping", error.Message);
        Assert.Contains("course_id × ingest_date", error.Message);
    }

    [Fact]
    public void Build_Rejects_AnExplicitIdentityBetweenDifferentDimensions()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("silver/days", ByDay), Asset("gold/rounds", ByCourse, Dep("silver/days", new IdentityPartitionMapping()))]));

        Assert.Contains("gold/rounds depends on silver/days with an identity mapping", error.Message);
    }

    [Fact]
    public void Build_Rejects_APartitionedAssetOnAnUnpartitionedOne_WithoutAMapping()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("silver/courses"), Asset("gold/rounds", ByCourse, Dep("silver/courses"))]));

        Assert.Contains("gold/rounds depends on silver/courses without a partition mapping", error.Message);
        Assert.Contains("silver/courses is unpartitioned", error.Message);
    }

    [Fact]
    public void Build_Rejects_AnUnpartitionedAssetOnAPartitionedOne_WithoutAMapping()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
            [Asset("silver/events", ByCourse), Asset("gold/all", null, Dep("silver/events"))]));

        Assert.Contains("gold/all is unpartitioned", error.Message);
    }

    [Fact]
    public void Build_Rejects_ADimensionMapping_WhenADimensionIsMissingOnEitherSide()
    {
        var error = Assert.Throws<AssetGraphException>(() => AssetGraph.Build(
        [
            Asset("silver/days", ByDay),
            Asset("gold/rounds", ByCourse, Dep("silver/days", new DimensionPartitionMapping("course_id"))),
            Asset("gold/all", null, Dep("silver/days", new DimensionPartitionMapping("ingest_date"))),
        ]));

        Assert.Contains("gold/rounds depends on silver/days through dimension 'course_id', which silver/days (partitioned by ingest_date) does not have", error.Message);
        Assert.Contains("gold/all depends on silver/days through dimension 'ingest_date', which gold/all (unpartitioned) does not have", error.Message);
    }

    [Fact]
    public void Build_Accepts_MappingsThatLineUp()
    {
        var graph = AssetGraph.Build(
        [
            Asset("bronze/telemetry", ByCourseAndDay),
            Asset("silver/events", ByCourseAndDay, Dep("bronze/telemetry")),
            Asset("silver/courses"),
            Asset("gold/rounds", ByCourse, Dep("silver/events", new DimensionPartitionMapping("course_id")), Dep("silver/courses", new AllPartitionMapping())),
            Asset("gold/all", null, Dep("silver/events", new AllPartitionMapping())),
        ]);

        Assert.Equal(5, graph.Assets.Count);
    }
}
