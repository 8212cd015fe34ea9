using Lakehouse.Core.Instance;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Holds a slot of the asset's concurrency pool while its step runs (<see cref="Assets.AssetSpec.Pool"/> with TM_POOL_&lt;NAME&gt;=N):
/// the step waits for a free slot in the instance store, so at most N steps of the pool run at once across every worker. The
/// lease is renewed while the step runs; a worker that dies frees its slot when the lease ends.
/// </summary>
public sealed class PoolSlot(IStepRunner inner, IPoolSlotStore slots, IReadOnlyDictionary<string, int> limits, TimeProvider clock, TimeSpan pollInterval) : IStepRunner
{
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        var pool = step.Definition.Spec.Pool?.ToLowerInvariant();
        if (pool is null || !limits.TryGetValue(pool, out var limit)) return await inner.RunAsync(step, cancellationToken);

        var holder = $"{step.RunId}/{step.Step}/{step.Attempt}/{Guid.NewGuid():N}";
        var waited = false;
        while (!await slots.TryAcquireAsync(pool, limit, holder, clock.GetUtcNow(), clock.GetUtcNow() + Lease, cancellationToken))
        {
            if (!waited) step.Log.Information("Step {step} waits for a slot of pool {pool} ({limit} at once)", step.Step.ToString(), pool, limit);
            waited = true;
            await Task.Delay(pollInterval, clock, cancellationToken);
        }
        using var stopRenewing = new CancellationTokenSource();
        var renewer = RenewAsync(pool, holder, stopRenewing.Token);
        try
        {
            return await inner.RunAsync(step, cancellationToken);
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewer;
            await slots.ReleaseAsync(pool, holder, CancellationToken.None);
        }
    }

    private async Task RenewAsync(string pool, string holder, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 3, clock, stop);
                await slots.RenewAsync(pool, holder, clock.GetUtcNow() + Lease, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
