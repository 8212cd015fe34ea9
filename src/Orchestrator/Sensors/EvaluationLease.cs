using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>
/// One process's hold on an evaluation (a sensor's, or the automation daemon's) across every process: taken in the instance store,
/// renewed every third of its length while the evaluation runs, so a long evaluation is never taken over by another process,
/// and released at the end. A holder killed mid-evaluation blocks others only until the lease runs out.
/// </summary>
internal sealed class EvaluationLease : IAsyncDisposable
{
    private static readonly string ProcessOwner = $"{Environment.MachineName}:{Environment.ProcessId}";

    private readonly ISensorStore _store;
    private readonly string _name;
    private readonly string _owner;
    private readonly TimeSpan _length;
    private readonly TimeProvider _clock;
    private readonly Action? _renewed;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;

    private EvaluationLease(ISensorStore store, string name, string owner, TimeSpan length, TimeProvider clock, Action? renewed)
    {
        _store = store;
        _name = name;
        _owner = owner;
        _length = length;
        _clock = clock;
        _renewed = renewed;
    }

    /// <summary>The lease, or null when another process holds it. <paramref name="renewed"/> is called after each renewal (tests wait on it).</summary>
    public static async Task<EvaluationLease?> TryTakeAsync(ISensorStore store, string name, TimeSpan length, TimeProvider clock, CancellationToken cancellationToken,
        Action? renewed = null)
    {
        var owner = $"{ProcessOwner}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow();
        if (!await store.TryLeaseAsync(name, owner, now, now + length, cancellationToken)) return null;
        var lease = new EvaluationLease(store, name, owner, length, clock, renewed);
        lease._renewal = lease.RenewAsync(lease._stop.Token);
        return lease;
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        // A periodic timer keeps the cadence whatever a renewal takes, and its next period is already running when a renewal
        // ends: with a Task.Delay after each renewal, a clock that moved on before the next delay began was not seen by it.
        using var timer = new PeriodicTimer(_length / 3, _clock);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stop)) return;
                var now = _clock.GetUtcNow();
                await _store.TryLeaseAsync(_name, _owner, now, now + _length, stop);
                _renewed?.Invoke();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // A busy database misses one renewal; the lease lasts three of them.
            }
        }
    }

    /// <summary>Renews the lease now; false when another process took it over (this process's heartbeat stalled past its length).</summary>
    public async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        return await _store.TryLeaseAsync(_name, _owner, now, now + _length, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        await _store.ReleaseLeaseAsync(_name, _owner, CancellationToken.None);
    }
}
