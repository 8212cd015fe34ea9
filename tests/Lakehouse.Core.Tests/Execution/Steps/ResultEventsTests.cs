using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Quality;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class ResultEventsTests
{
    private static readonly AssetKey Side = new("t/side");

    private static async Task<(StepResult Result, StepContext Context)> RunAsync(MaterializeResult output, AssetDefinition? definition = null)
    {
        var context = Context(definition ?? Definition("t/a"), partition: "p1");
        var result = await new ResultEvents(FakeRunner.Returning(StepResult.Materialized(output)), TimeProvider.System).RunAsync(context, CancellationToken.None);
        return (result, context);
    }

    [Fact]
    public async Task Run_TurnsTheResultIntoAMaterializationAndCheckEvents_AddingTheDuration()
    {
        var (result, context) = await RunAsync(new MaterializeResult
        {
            Metadata = new Dictionary<string, MetadataValue> { ["rows_out"] = MetadataValue.Int(7) },
            CheckResults = [new AssetCheckResult("not_null", true), new AssetCheckResult("speed", false, AssetCheckSeverity.Warn, Blocking: false) { Description = "3 fast rows" }],
        });

        Assert.Equal(StepResultKind.Succeeded, result.Kind);
        Assert.Equal(7, result.Metadata["rows_out"].Value.GetInt64());
        Assert.True(result.Metadata.ContainsKey("duration_ms"));
        Assert.Equal([EventType.Materialization, EventType.CheckResult, EventType.CheckResult], context.Events.Select(e => e.Type));
        Assert.All(context.Events, e => Assert.Equal((context.Step, new AssetKey("t/a")), (e.Step, e.Asset)));
        Assert.Equal("Materialized t/a[p1].", context.Events[0].Message);
        Assert.Equal(("Warning", "Check speed failed: 3 fast rows"), (context.Events[2].Level, context.Events[2].Message));
    }

    [Fact]
    public async Task Run_FailsTheStep_AsAResult_WhenABlockingCheckFails()
    {
        var (result, context) = await RunAsync(new MaterializeResult
        {
            CheckResults = [new AssetCheckResult("unique_key", false) { Description = "12 duplicate keys" }],
        });

        Assert.Equal((StepResultKind.Failed, "Blocking check(s) failed: unique_key: 12 duplicate keys"), (result.Kind, result.Error));
        Assert.Equal("Error", context.Events.Single(e => e.Type == EventType.CheckResult).Level);
    }

    [Fact]
    public async Task Run_OfAMultiAsset_WritesAMaterializationForEachAsset_UnderItsOwnKey()
    {
        var (result, context) = await RunAsync(new MaterializeResult
        {
            Metadata = new Dictionary<string, MetadataValue> { ["rows_out"] = MetadataValue.Int(10) },
            Others = [new MaterializeResult
            {
                AssetKey = Side,
                Metadata = new Dictionary<string, MetadataValue> { ["rows_out"] = MetadataValue.Int(2) },
                CheckResults = [new AssetCheckResult("side_check", true)],
            }],
        }, Definition("t/a", null, "t/side"));

        Assert.Equal(StepResultKind.Succeeded, result.Kind);
        Assert.Equal(10, result.Metadata["rows_out"].Value.GetInt64());
        var materializations = context.Events.Where(e => e.Type == EventType.Materialization).ToList();
        Assert.Equal([new AssetKey("t/a"), Side], materializations.Select(e => e.Asset));
        Assert.All(materializations, e => Assert.Equal(context.Step, e.Step));
        Assert.Equal(2, materializations[1].Metadata["rows_out"].Value.GetInt64());
        Assert.Equal("Materialized t/side[p1].", materializations[1].Message);
        Assert.Equal(Side, context.Events.Single(e => e.Type == EventType.CheckResult).Asset);
    }

    [Fact]
    public async Task Run_OfAMultiAsset_FailsTheStep_WhenAnAssetIsMissingOrForeign()
    {
        var multi = Definition("t/a", null, "t/side");
        var (missing, _) = await RunAsync(MaterializeResult.Empty, multi);
        var (foreign, context) = await RunAsync(MaterializeResult.Empty with { Others = [new MaterializeResult { AssetKey = new AssetKey("t/other") }] }, Definition("t/a"));

        Assert.Equal((StepResultKind.Failed, "The computation of t/a reported no result for t/side, which it materializes."), (missing.Kind, missing.Error));
        Assert.Contains("t/other, which it does not materialize", foreign.Error);
        Assert.Empty(context.Events);
    }

    [Fact]
    public async Task Run_PassesAResultWithoutOutputThrough()
    {
        var retry = StepResult.Retry("again", TimeSpan.FromSeconds(1));
        var context = Context(Definition("t/a"));
        Assert.Same(retry, await new ResultEvents(FakeRunner.Returning(retry), TimeProvider.System).RunAsync(context, CancellationToken.None));
        Assert.Empty(context.Events);
    }
}
