using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tests.Partitions;
using Microsoft.Extensions.Time.Testing;
using static Lakehouse.Core.Tests.Assets.Some;

namespace Lakehouse.Core.Tests.Execution;

public class RunPlannerTests
{
    private const string ErinFirst = "course_id=erinhills,ingest_date=2025-06-01";
    private const string ErinSecond = "course_id=erinhills,ingest_date=2025-06-02";
    private const string PebbleFirst = "course_id=pebble,ingest_date=2025-06-01";

    private static readonly DynamicPartitionsDefinition ByCourse = new("courses", "course_id");
    private static readonly DailyPartitionsDefinition ByDay = new("ingest_date", new DateOnly(2025, 6, 1));
    private static readonly MultiPartitionsDefinition Landed = new([("course_id", ByCourse), ("ingest_date", ByDay)], "telemetry_landed");

    // bronze (course × day, the pairs that landed) → silver (identity) → gold (per course, every day of it).
    private static readonly AssetGraph Toy = AssetGraph.Build(
    [
        Asset("bronze/telemetry", Landed),
        Asset("silver/events", Landed, Dep("bronze/telemetry")),
        Asset("gold/rounds", ByCourse, Dep("silver/events", new DimensionPartitionMapping("course_id"))),
    ]);

    private readonly FakePartitionKeySource _source = new FakePartitionKeySource()
        .Add("courses", "erinhills", "pebble")
        .Add("telemetry_landed", ErinFirst, ErinSecond, PebbleFirst);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero));

    private Task<RunPlan> Plan(string selection, params string[] partitions) =>
        Plan(Toy, new RunRequest(selection) { Partitions = partitions });

    private Task<RunPlan> Plan(AssetGraph graph, RunRequest request) =>
        new RunPlanner(graph, _source, _clock).PlanAsync(request, CancellationToken.None);

    private static StepKey Step(string asset, string? partition = null) =>
        new(new AssetKey(asset), partition is null ? null : new PartitionKey(partition));

    private static string[] Texts(IEnumerable<StepKey> steps) => steps.Select(s => s.ToString()).ToArray();

    [Fact]
    public async Task Plan_OrdersStepsByAssetThenPartition_ProjectingTheKeyOntoPerCourseGold()
    {
        var plan = await Plan("+gold/rounds", PebbleFirst, ErinFirst);

        Assert.Equal(
        [
            $"bronze/telemetry[{ErinFirst}]", $"bronze/telemetry[{PebbleFirst}]",
            $"silver/events[{ErinFirst}]", $"silver/events[{PebbleFirst}]",
            "gold/rounds[erinhills]", "gold/rounds[pebble]",
        ], Texts(plan.Steps.Select(s => s.Key)));
        Assert.Equal(["bronze/telemetry", "silver/events", "gold/rounds"], Keys(plan.Assets));
    }

    [Fact]
    public async Task Plan_PartitionsByAsset_GivesEachAssetOnlyItsOwnPartitions_AcrossDimensions()
    {
        var plan = await Plan(Toy, new RunRequest("silver/events,gold/rounds")
        {
            PartitionsByAsset = new Dictionary<string, IReadOnlyList<string>> { ["silver/events"] = [ErinSecond], ["gold/rounds"] = ["pebble", "erinhills"] },
        });

        Assert.Equal([$"silver/events[{ErinSecond}]", "gold/rounds[erinhills]", "gold/rounds[pebble]"], Texts(plan.Steps.Select(s => s.Key)));
        Assert.Equal([Step("silver/events", ErinSecond)], plan.Get(Step("gold/rounds", "erinhills")).DependsOn);
        Assert.Empty(plan.Get(Step("gold/rounds", "pebble")).DependsOn);
        Assert.Equal([ErinSecond, "erinhills", "pebble"], RunPlanner.DistinctPartitions(new RunRequest("x")
        {
            PartitionsByAsset = new Dictionary<string, IReadOnlyList<string>> { ["a"] = [ErinSecond, "pebble"], ["b"] = ["erinhills", "pebble"] },
        }));
        var missing = await Assert.ThrowsAsync<RunPlanException>(() => Plan(Toy, new RunRequest("silver/events,gold/rounds")
        {
            PartitionsByAsset = new Dictionary<string, IReadOnlyList<string>> { ["gold/rounds"] = ["pebble"] },
        }));
        Assert.Contains("silver/events", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MakesEachStepWaitForTheMappedUpstreamStepsInTheRun()
    {
        var plan = await Plan("+gold/rounds", PebbleFirst, ErinFirst);

        Assert.Empty(plan.Get(Step("bronze/telemetry", ErinFirst)).DependsOn);
        Assert.Equal([Step("bronze/telemetry", ErinFirst)], plan.Get(Step("silver/events", ErinFirst)).DependsOn);
        Assert.Equal([Step("silver/events", PebbleFirst)], plan.Get(Step("gold/rounds", "pebble")).DependsOn);
        // erinhills 2025-06-02 exists but is not in this run, so gold does not wait for it ...
        Assert.Equal([Step("silver/events", ErinFirst)], plan.Get(Step("gold/rounds", "erinhills")).DependsOn);
    }

    [Fact]
    public async Task Plan_LetsEachStepReadEveryExistingMappedUpstreamPartition_NotOnlyThoseInTheRun()
    {
        var plan = await Plan("+gold/rounds", PebbleFirst, ErinFirst);

        // ... but it reads it, since gold per course covers every day of the course.
        var reads = plan.Get(Step("gold/rounds", "erinhills")).UpstreamPartitions;
        Assert.Equal([new AssetKey("silver/events")], reads.Keys);
        Assert.Equal([ErinFirst, ErinSecond], reads[new AssetKey("silver/events")].Select(k => k.Value));
        Assert.Equal([ErinFirst], plan.Get(Step("silver/events", ErinFirst)).UpstreamPartitions[new AssetKey("bronze/telemetry")].Select(k => k.Value));
    }

    [Fact]
    public async Task Plan_WaitsOnNothing_WhenTheUpstreamAssetIsNotSelected()
    {
        var plan = await Plan("gold/rounds", "erinhills");

        var step = Assert.Single(plan.Steps);
        Assert.Equal(Step("gold/rounds", "erinhills"), step.Key);
        Assert.Empty(step.DependsOn);
        Assert.Equal([ErinFirst, ErinSecond], step.UpstreamPartitions[new AssetKey("silver/events")].Select(k => k.Value));
    }

    [Fact]
    public async Task Plan_AllPartitions_TakesEveryKeyTheInstanceKnows()
    {
        var plan = await Plan(Toy, new RunRequest("*") { AllPartitions = true });

        Assert.Equal(8, plan.Steps.Count);
        Assert.Equal([ErinFirst, ErinSecond, PebbleFirst],
            plan.Steps.Where(s => s.Key.Asset.Value == "silver/events").Select(s => s.Key.Partition!.Value));
        Assert.Equal([Step("silver/events", ErinFirst), Step("silver/events", ErinSecond)], plan.Get(Step("gold/rounds", "erinhills")).DependsOn);
    }

    [Fact]
    public async Task Plan_AllPartitions_FailsForAnAssetWithNoPartitionsYet()
    {
        var graph = AssetGraph.Build([Asset("bronze/scorecards", new DynamicPartitionsDefinition("scorecard_days", "day"))]);

        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan(graph, new RunRequest("*") { AllPartitions = true }));

        Assert.Contains("bronze/scorecards has no partitions yet", error.Message);
    }

    [Fact]
    public async Task Plan_ExpandsAKeyThatNamesOnlySomeDimensions_ToTheExistingPartitionsThatMatch()
    {
        var plan = await Plan("silver/*+", "course_id=erinhills");

        Assert.Equal([$"silver/events[{ErinFirst}]", $"silver/events[{ErinSecond}]", "gold/rounds[erinhills]"],
            Texts(plan.Steps.Select(s => s.Key)));
    }

    [Fact]
    public async Task Plan_GivesOneStepPerProjectedKey_WhenSeveralRequestedKeysProjectOntoIt()
    {
        var plan = await Plan("silver/events+", ErinFirst, ErinSecond);

        var gold = Assert.Single(plan.Steps, s => s.Key.Asset.Value == "gold/rounds");
        Assert.Equal([Step("silver/events", ErinFirst), Step("silver/events", ErinSecond)], gold.DependsOn);
    }

    [Fact]
    public async Task Plan_Fails_WhenAPartitionedAssetGetsNoPartition_NamingEveryOne()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events+"));

        Assert.Equal(
            "silver/events (by course_id × ingest_date), gold/rounds (by course_id) are partitioned: give --partition or --all-partitions.",
            error.Message);
    }

    [Fact]
    public async Task Plan_Fails_WhenBothPartitionsAndAllPartitionsAreGiven()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() =>
            Plan(Toy, new RunRequest("silver/events") { Partitions = [ErinFirst], AllPartitions = true }));

        Assert.Contains("either --partition or --all-partitions", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_WhenAPartitionIsGivenButNothingSelectedIsPartitioned()
    {
        var graph = AssetGraph.Build([Asset("silver/courses")]);

        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan(graph, new RunRequest("silver/courses") { Partitions = ["erinhills"] }));

        Assert.Contains("none of the selected assets (silver/courses) is partitioned", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_ForADimensionNoSelectedAssetHas()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events", "course_id=erinhills,ingest_dat=2025-06-01"));

        Assert.Contains("names dimension ingest_dat, which no selected asset has (they have course_id, ingest_date)", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_WhenAKeySaysNothingAboutAnAssetsDimensions()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events+", "ingest_date=2025-06-01"));

        Assert.Contains("Partition 'ingest_date=2025-06-01' names none of gold/rounds's dimensions (course_id)", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_ForABareValueOnAMultiDimensionAsset_NamingTheAsset()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events", "erinhills"));

        Assert.Contains("Partition 'erinhills' does not fit silver/events", error.Message);
        Assert.Contains("course_id=...,ingest_date=...", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_WhenAPartialKeyMatchesNoExistingPartition()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events", "course_id=augusta"));

        Assert.Contains("'course_id=augusta' matches no existing partition of silver/events", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_ForAStaticKeyThatIsNotDeclared()
    {
        var graph = AssetGraph.Build([Asset("silver/tees", new StaticPartitionsDefinition("tee", ["black", "blue"]))]);

        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan(graph, new RunRequest("silver/tees") { Partitions = ["red"] }));

        Assert.Contains("Partition 'red' does not fit silver/tees", error.Message);
        Assert.Contains("known: black, blue", error.Message);
    }

    [Fact]
    public async Task Plan_Fails_ForADayAfterToday_UntilTheDayComes()
    {
        var graph = AssetGraph.Build([Asset("silver/weather", ByDay)]);
        var request = new RunRequest("silver/weather") { Partitions = ["2025-06-03"] };

        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan(graph, request));
        Assert.Contains("ingest_date 2025-06-03 is after today (2025-06-02 UTC)", error.Message);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal([Step("silver/weather", "2025-06-03")], (await Plan(graph, request)).Steps.Select(s => s.Key));
    }

    [Fact]
    public async Task Plan_Fails_ForAFutureDayInsideAMultiKey()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("bronze/telemetry", "course_id=erinhills,ingest_date=2025-06-09"));

        Assert.Contains("cannot run yet: ingest_date 2025-06-09 is after today", error.Message);
    }

    [Fact]
    public async Task Plan_AllPartitions_OfADailyAsset_RunsUpToTodayOnTheClock()
    {
        var graph = AssetGraph.Build([Asset("silver/weather", ByDay)]);
        _clock.Advance(TimeSpan.FromDays(2));

        var plan = await Plan(graph, new RunRequest("silver/weather") { AllPartitions = true });

        Assert.Equal(["2025-06-01", "2025-06-02", "2025-06-03", "2025-06-04"], plan.Steps.Select(s => s.Key.Partition!.Value));
    }

    [Fact]
    public async Task Plan_GivesUnpartitionedAssetsOneStep_AndWiresThemBothWays()
    {
        var graph = AssetGraph.Build(
        [
            Asset("silver/courses"),
            Asset("silver/events", Landed),
            Asset("gold/rounds", ByCourse, Dep("silver/events", new DimensionPartitionMapping("course_id")), Dep("silver/courses", new AllPartitionMapping())),
            Asset("gold/season", null, Dep("gold/rounds", new AllPartitionMapping())),
        ]);

        var plan = await Plan(graph, new RunRequest("*") { Partitions = [ErinFirst] });

        Assert.Equal(["silver/courses", $"silver/events[{ErinFirst}]", "gold/rounds[erinhills]", "gold/season"], Texts(plan.Steps.Select(s => s.Key)));
        var rounds = plan.Get(Step("gold/rounds", "erinhills"));
        Assert.Equal([Step("silver/events", ErinFirst), Step("silver/courses")], rounds.DependsOn);
        Assert.Empty(rounds.UpstreamPartitions[new AssetKey("silver/courses")]);
        var season = plan.Get(Step("gold/season"));
        Assert.Equal([Step("gold/rounds", "erinhills")], season.DependsOn);
        Assert.Equal(["erinhills", "pebble"], season.UpstreamPartitions[new AssetKey("gold/rounds")].Select(k => k.Value));
    }

    [Fact]
    public async Task Plan_PassesSelectionErrorsThrough()
    {
        var error = await Assert.ThrowsAsync<AssetSelectionException>(() => Plan("gold/round"));

        Assert.Contains("Did you mean gold/rounds?", error.Message);
    }

    [Theory]
    [InlineData("course_id=../../x,ingest_date=2025-06-01", "cannot hold '/'")]
    [InlineData("course_id=a/b,ingest_date=2025-06-01", "cannot hold '/'")]
    [InlineData("course_id=a\\b,ingest_date=2025-06-01", "cannot hold '/'")]
    [InlineData("course_id=..,ingest_date=2025-06-01", "cannot hold '..'")]
    [InlineData("course_id=erin\u0001hills,ingest_date=2025-06-01", "control characters")]
    public async Task Plan_Fails_ForAValueThatIsNotAValidKeyPart_BeforeLookingItUp(string partition, string why)
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("silver/events", partition));

        Assert.Contains("does not fit silver/events", error.Message);
        Assert.Contains(why, error.Message);
        Assert.DoesNotContain('\u0001', error.Message);
    }

    [Fact]
    public async Task Plan_Fails_ForAnInvalidBareValue_OfASingleDimensionAsset()
    {
        var error = await Assert.ThrowsAsync<RunPlanException>(() => Plan("gold/rounds", "../etc"));

        Assert.Contains("Partition '../etc' does not fit gold/rounds", error.Message);
    }

    [Fact]
    public async Task Plan_MergesDuplicatedPartitions_IntoOneStepEach()
    {
        var request = new RunRequest("silver/events") { Partitions = [.. Enumerable.Repeat(ErinFirst, 200_000), " " + ErinFirst + " ", PebbleFirst] };

        var plan = await Plan(Toy, request);

        Assert.Equal([$"silver/events[{ErinFirst}]", $"silver/events[{PebbleFirst}]"], Texts(plan.Steps.Select(s => s.Key)));
        Assert.Equal([ErinFirst, PebbleFirst], RunPlanner.DistinctPartitions(request));
    }

    [Fact]
    public async Task Plan_Fails_ForMoreDistinctPartitionsThanTheLimit_PointingAtBackfills()
    {
        var planner = new RunPlanner(Toy, _source, _clock, maxPartitions: 2);

        var error = await Assert.ThrowsAsync<RunPlanException>(() => planner.PlanAsync(
            new RunRequest("silver/events") { Partitions = [ErinFirst, ErinSecond, PebbleFirst] }, CancellationToken.None));
        // A partial key that expands past the limit is refused too.
        var expanded = await Assert.ThrowsAsync<RunPlanException>(() => planner.PlanAsync(
            new RunRequest("silver/events") { Partitions = ["ingest_date=2025-06-01", "ingest_date=2025-06-02"] }, CancellationToken.None));

        Assert.Contains("names 3 partitions; one run takes at most 2 (TM_MAX_RUN_PARTITIONS)", error.Message);
        Assert.Contains("tmlake backfill", error.Message);
        Assert.Contains("names 3 partitions", expanded.Message);
        Assert.Equal(2, (await planner.PlanAsync(new RunRequest("silver/events") { Partitions = [ErinFirst, ErinFirst, PebbleFirst] }, CancellationToken.None)).Steps.Count);
    }
}
