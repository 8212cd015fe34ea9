using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Observability;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class StepSummaryStepTests : IAsyncLifetime
{
    private StepLake _lake = null!;

    public async Task InitializeAsync() => _lake = await StepLake.OpenAsync();
    public async Task DisposeAsync() => await _lake.DisposeAsync();

    [Fact]
    public async Task Run_WritesTheSummaryOfAnEndedStep_FromItsMetadata()
    {
        var context = Context(Definition("t/a"), runId: "sum", partition: "p1");
        var metadata = new Dictionary<string, MetadataValue> { ["rows_out"] = MetadataValue.Int(41), ["table"] = MetadataValue.Text("silver.t") };

        await new StepSummaryStep(FakeRunner.Returning(StepResult.Succeeded(metadata)), new StepSummaryWriter(_lake.Objects), TimeProvider.System)
            .RunAsync(context, CancellationToken.None);

        await using var body = await _lake.Objects.For(Layers.Observability).OpenReadAsync(StepSummaryWriter.KeyOf("sum", context.Step), CancellationToken.None);
        var summary = JsonSerializer.Deserialize<StepSummary>(body)!;
        Assert.Equal(("sum", "t/a[p1]", "succeeded", 41L, "silver.t"), (summary.RunId, summary.Step, summary.Status, summary.RowsOut, summary.OutputTable));
    }

    [Fact]
    public async Task Run_WritesNoSummary_ForAnAttemptThatWillBeRetried()
    {
        var context = Context(Definition("t/a"), runId: "retry");
        await new StepSummaryStep(FakeRunner.Returning(StepResult.Retry("again", TimeSpan.Zero)), new StepSummaryWriter(_lake.Objects), TimeProvider.System)
            .RunAsync(context, CancellationToken.None);
        Assert.Null(await _lake.Objects.For(Layers.Observability).StatAsync(StepSummaryWriter.KeyOf("retry", context.Step), CancellationToken.None));
    }
}
