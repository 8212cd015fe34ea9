using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Execution;

public class RunPlanTests
{
    private static readonly AssetKey Silver = new("silver/events");
    private static readonly AssetKey Gold = new("gold/rounds");
    private static readonly StepKey SilverA = new(Silver, new PartitionKey("a"));
    private static readonly StepKey SilverB = new(Silver, new PartitionKey("b"));
    private static readonly StepKey GoldAll = new(Gold, null);

    private static PlannedStep Planned(StepKey key, params StepKey[] dependsOn) =>
        new(key, dependsOn, new Dictionary<AssetKey, IReadOnlyList<PartitionKey>>());

    [Fact]
    public void Dependents_AreTheStepsWaitingForAStep()
    {
        var plan = new RunPlan([Silver, Gold], [Planned(SilverA), Planned(SilverB), Planned(GoldAll, SilverA, SilverB)]);

        Assert.Equal([GoldAll], plan.Dependents(SilverB).Select(s => s.Key));
        Assert.Empty(plan.Dependents(GoldAll));
        Assert.True(plan.Contains(SilverA));
        Assert.Equal(SilverB, plan.Get(SilverB).Key);
    }

    [Fact]
    public void Get_NamesAStepThatIsNotPlanned()
    {
        var plan = new RunPlan([Silver], [Planned(SilverA)]);

        var error = Assert.Throws<KeyNotFoundException>(() => plan.Get(SilverB));
        Assert.Contains("silver/events[b]", error.Message);
    }

    [Fact]
    public void Constructor_RejectsAStepPlannedTwice()
    {
        var error = Assert.Throws<ArgumentException>(() => new RunPlan([Silver], [Planned(SilverA), Planned(SilverA)]));

        Assert.Contains("silver/events[a] is planned twice", error.Message);
    }

    [Fact]
    public void Constructor_RejectsAStepThatWaitsForALaterOrMissingStep()
    {
        var error = Assert.Throws<ArgumentException>(() => new RunPlan([Silver, Gold], [Planned(GoldAll, SilverA), Planned(SilverA)]));

        Assert.Contains("gold/rounds depends on silver/events[a], which is not planned before it", error.Message);
    }
}
