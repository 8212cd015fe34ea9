using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Orchestrator.Automation;

namespace Orchestrator.Tests.Automation;

/// <summary>The evaluator alone, over a Silver → Gold shape: (course × day) partitions folded onto the course they belong to.</summary>
public sealed class AutomationEvaluatorTests
{
    private static readonly MultiPartitionsDefinition CourseByDay = new([("course_id", new StaticPartitionsDefinition("course_id", ["a", "b"])),
        ("day", new StaticPartitionsDefinition("day", ["1", "2"]))]);
    private static readonly StaticPartitionsDefinition Courses = new("course_id", ["a", "b"]);
    private static readonly AssetKey Silver = new("silver/fixes"), Gold = new("gold/rounds");
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly AssetGraph Graph = AssetGraph.Build(
    [
        AssetDefinition.Create(new AssetSpec(Silver) { Partitions = CourseByDay }, (_, _) => Task.FromResult(new MaterializeResult())),
        AssetDefinition.Create(new AssetSpec(Gold)
        {
            Partitions = Courses, Automation = AutomationCondition.Eager,
            Deps = [new AssetDependency(Silver, new DimensionPartitionMapping("course_id"))],
        }, (_, _) => Task.FromResult(new MaterializeResult())),
    ]);

    private static PartitionKey Day(string course, string day) => new($"course_id={course},day={day}");

    private static AssetPartitionStatus Materialized(AssetKey asset, PartitionKey key, long eventId, MaterializationState state = MaterializationState.Materialized) =>
        new(asset, key, state, $"run-{eventId}", T0.AddMinutes(eventId)) { LastMaterializationEventId = eventId, LastMaterializedAt = T0.AddMinutes(eventId) };

    private static Dictionary<string, AutomationDecision> Evaluate(IReadOnlyList<AssetPartitionStatus> statuses, IReadOnlyList<StepKey>? open = null) =>
        Evaluate(new AutomationEvaluator(Graph), statuses, open);

    private static Dictionary<string, AutomationDecision> Evaluate(AutomationEvaluator evaluator, IReadOnlyList<AssetPartitionStatus> statuses,
        IReadOnlyList<StepKey>? open = null, IReadOnlySet<AssetKey>? automated = null) =>
        evaluator.Evaluate(new AutomationInputs(statuses,
                new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>
                {
                    [Silver] = [Day("a", "1"), Day("a", "2"), Day("b", "1"), Day("b", "2")],
                    [Gold] = [new("a"), new("b")],
                },
                open ?? [], automated ?? new HashSet<AssetKey> { Gold }, new Dictionary<AssetKey, DateTimeOffset?>()))
            .ToDictionary(d => d.Partition!.Value);

    [Fact]
    public void AGoldCourse_FollowsTheNewestDayOfItsCourse_AndWaitsWhileAnyDayOfItIsInProgress()
    {
        var decisions = Evaluate(
        [
            Materialized(Silver, Day("a", "1"), 1), Materialized(Silver, Day("a", "2"), 5),
            Materialized(Silver, Day("b", "1"), 2), Materialized(Silver, Day("b", "2"), 3),
            Materialized(Gold, new("a"), 4), Materialized(Gold, new("b"), 6),
        ]);
        Assert.True(decisions["a"].Requested);
        Assert.Equal("upstream silver/fixes[course_id=a,day=2] updated after its materialization at 2025-06-02T08:04:00Z", decisions["a"].Reason);
        Assert.False(decisions["b"].Requested);

        var waiting = Evaluate([Materialized(Silver, Day("a", "1"), 1), Materialized(Silver, Day("b", "1"), 2)], open: [new StepKey(Silver, Day("a", "2"))]);
        Assert.Equal("waiting: upstream silver/fixes[course_id=a,day=2] is in progress", waiting["a"].Reason);
        Assert.Equal("never materialized; upstream silver/fixes[course_id=b,day=1] is", waiting["b"].Reason);
    }

    [Fact]
    public void AnEvaluatorThatKeepsItsPreviousDecisions_DecidesEachTickAsAFreshOneWould()
    {
        // Ticks in a row: quiet, an upstream day updated, a day in progress, Gold catching up, a status gone, switched off and on.
        IReadOnlyList<AssetPartitionStatus> start =
        [
            Materialized(Silver, Day("a", "1"), 1), Materialized(Silver, Day("a", "2"), 2), Materialized(Silver, Day("b", "1"), 3),
            Materialized(Gold, new("a"), 4), Materialized(Gold, new("b"), 5),
        ];
        var updated = start.Select(s => s.Partition == Day("a", "2") ? Materialized(Silver, Day("a", "2"), 6) : s).ToList();
        var caughtUp = updated.Append(Materialized(Gold, new("a"), 7)).Where(s => s.Asset != Gold || s.LastMaterializationEventId != 4).ToList();
        var failed = caughtUp.Select(s => s.Partition == Day("b", "1") ? Materialized(Silver, Day("b", "1"), 8, MaterializationState.Failed) : s).ToList();
        var ticks = new (IReadOnlyList<AssetPartitionStatus> Statuses, IReadOnlyList<StepKey> Open, IReadOnlySet<AssetKey> Automated)[]
        {
            (start, [], new HashSet<AssetKey> { Gold }),
            (start, [], new HashSet<AssetKey> { Gold }),
            (updated, [], new HashSet<AssetKey> { Gold }),
            (updated, [new StepKey(Silver, Day("b", "2"))], new HashSet<AssetKey> { Gold }),
            (caughtUp, [], new HashSet<AssetKey> { Gold }),
            (caughtUp, [], new HashSet<AssetKey> { Gold }),
            (failed, [], new HashSet<AssetKey> { Gold }),
            (failed.Where(s => s.Asset != Gold).ToList(), [], new HashSet<AssetKey> { Gold }),
            (failed, [], new HashSet<AssetKey>()),
            (failed, [], new HashSet<AssetKey> { Gold }),
        };
        var kept = new AutomationEvaluator(Graph);
        var seen = new List<string>();
        foreach (var (statuses, open, automated) in ticks)
        {
            var fresh = Evaluate(new AutomationEvaluator(Graph), statuses, open, automated);
            var again = Evaluate(kept, statuses, open, automated);
            Assert.Equal(fresh.Keys.Order(StringComparer.Ordinal), again.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, decision) in fresh) Assert.True(decision.SaysTheSameAs(again[key]), $"{key}: fresh '{decision.Reason}', kept '{again[key].Reason}'");
            seen.AddRange(fresh.Values.Select(d => d.Reason));
        }
        // The sequence went through requests, waits and quiet ticks, so the comparison covered each kind of decision.
        Assert.Contains(seen, r => r.StartsWith("upstream silver/fixes[", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.StartsWith("waiting: upstream", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.StartsWith("up to date", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("course_id=a,day=2", "course_id", "a")]
    [InlineData("course_id=a,day=2", "day", "2")]
    [InlineData("course_id = x.y , day = 2025-06-01", "day", "2025-06-01")]
    [InlineData("erinhills", "course_id", "erinhills")]
    public void DimensionValue_ReadsTheSameValueAsThePartitionKey(string key, string dimension, string expected)
    {
        Assert.Equal(expected, AutomationEvaluator.DimensionValue(key, dimension));
        Assert.Equal(new PartitionKey(key).Get(dimension), AutomationEvaluator.DimensionValue(key, dimension));
    }
}
