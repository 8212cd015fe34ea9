using System.Diagnostics;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Observability;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class TelemetrySpanTests
{
    [Fact]
    public async Task Run_RecordsASpanPerAttempt_TaggedWithTheStep_AndItsOutcome()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LakehouseTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var context = Context(Definition("t/span"), attempt: 2, runId: "span-run", partition: "p9");

        await new TelemetrySpan(FakeRunner.Returning(StepResult.Failed("no data")), TimeProvider.System).RunAsync(context, CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => new TelemetrySpan(FakeRunner.Throwing(new IOException("x")), TimeProvider.System).RunAsync(context, CancellationToken.None));

        var mine = spans.Where(s => (string?)s.GetTagItem("run_id") == "span-run").ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, s => Assert.Equal(("step", "t/span", "p9", 2), (s.OperationName, (string?)s.GetTagItem("asset_key"), (string?)s.GetTagItem("partition"), (int?)s.GetTagItem("attempt"))));
        Assert.Equal((ActivityStatusCode.Error, "no data"), (mine[0].Status, mine[0].StatusDescription));
        Assert.Equal(ActivityStatusCode.Error, mine[1].Status);
    }
}
