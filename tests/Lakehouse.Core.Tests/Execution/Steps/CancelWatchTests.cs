using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class CancelWatchTests : IAsyncLifetime
{
    private StepLake _lake = null!;

    public async Task InitializeAsync() => _lake = await StepLake.OpenAsync();
    public async Task DisposeAsync() => await _lake.DisposeAsync();

    private static FakeRunner WaitingForCancel() => new(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return StepResult.Succeeded(new Dictionary<string, MetadataValue>());
    });

    [Fact]
    public async Task Run_EndsTheStepCanceled_WhenItsRunIsCanceled_InTheStore()
    {
        var runId = await _lake.StartRunAsync((Step("t/a"), []));
        Assert.True(await _lake.Instance.Runs.TryStartStepAsync(runId, Step("t/a"), 1, _lake.Clock.GetUtcNow(), CancellationToken.None));
        var watch = new CancelWatch(WaitingForCancel(), _lake.Instance.Runs, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        var running = watch.RunAsync(Context(Definition("t/a"), runId: runId), CancellationToken.None);

        await _lake.Instance.Runs.CancelRunAsync(runId, _lake.Clock.GetUtcNow(), CancellationToken.None);
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((StepResultKind.Canceled, "Canceled: the run was asked to stop."), (result.Kind, result.Error));
    }

    [Fact]
    public async Task Run_LetsAStoppingWorkerThrough_AndPassesResultsOn()
    {
        var runId = await _lake.StartRunAsync((Step("t/a"), []));
        using var shutdown = new CancellationTokenSource();
        var watch = new CancelWatch(WaitingForCancel(), _lake.Instance.Runs, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        var running = watch.RunAsync(Context(Definition("t/a"), runId: runId), shutdown.Token);

        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        var done = StepResult.Succeeded(new Dictionary<string, MetadataValue>());
        Assert.Same(done, await new CancelWatch(FakeRunner.Returning(done), _lake.Instance.Runs, TimeProvider.System, TimeSpan.FromMilliseconds(20))
            .RunAsync(Context(Definition("t/a"), runId: runId), CancellationToken.None));
    }
}
