using System.Diagnostics;

namespace Lakehouse.Core.Instance;

/// <summary>
/// This process's lease in the instance store, and the sweep that ends the runs of processes that are gone. A process whose
/// runs live in its own memory (embedded mode: the job queue is in memory) holds a lease, renews it every
/// <see cref="HeartbeatInterval"/>, and stamps its runs with <see cref="Owner"/>. Any process opening the instance sweeps:
/// a run whose owner is gone (on this host: its pid no longer runs that process; elsewhere: no heartbeat for
/// <see cref="Expiry"/>; or its lease was released) ends failed with <see cref="Reason"/>, ready to be re-executed.
/// </summary>
public sealed class ProcessLeases(IRunStore runs, TimeProvider clock) : IAsyncDisposable
{
    public const string Reason = "the process running it stopped";

    public static TimeSpan HeartbeatInterval { get; } = TimeSpan.FromSeconds(5);
    public static TimeSpan Expiry { get; } = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private Task? _heartbeat;
    private ProcessLease? _lease;

    /// <summary>The id this process stamps on the runs it holds, or null when it holds none (no lease taken).</summary>
    public string? Owner => _lease?.ProcessId;

    /// <summary>Takes this process's lease and renews it in the background until disposed.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        if (_lease is not null) return;
        using var self = Process.GetCurrentProcess();
        _lease = new ProcessLease($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", Environment.MachineName,
            Environment.ProcessId, self.StartTime.ToUniversalTime(), clock.GetUtcNow());
        await runs.RenewLeaseAsync(_lease, cancellationToken);
        _heartbeat = HeartbeatAsync(_stop.Token);
    }

    /// <summary>Ends the open runs of every process that is gone and removes their leases; returns the ids of the runs ended.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leases = await runs.GetLeasesAsync(cancellationToken);
        var dead = leases.Where(l => l.ProcessId != Owner && IsGone(l, now)).ToList();
        var alive = leases.Except(dead).Select(l => l.ProcessId).ToHashSet(StringComparer.Ordinal);
        var orphans = (await runs.GetOwnedOpenRunsAsync(cancellationToken)).Where(r => !alive.Contains(r.Owner!)).Select(r => r.RunId).ToList();
        if (orphans.Count > 0)
        {
            var transaction = runs.BeginTransaction();
            foreach (var runId in orphans) transaction.AbandonRun(runId, Reason, now);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var lease in dead) await runs.ReleaseLeaseAsync(lease.ProcessId, cancellationToken);
        return orphans;
    }

    /// <summary>Whether the lease's process is gone: on this host, whether that pid still runs the process that took it; elsewhere, by its heartbeat.</summary>
    public static bool IsGone(ProcessLease lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Host == Environment.MachineName)
        {
            try
            {
                using var process = Process.GetProcessById(lease.Pid);
                // A pid is reused by later processes: only the same start time is the same process.
                return (process.StartTime.ToUniversalTime() - lease.ProcessStartedAt.UtcDateTime).Duration() > StartTimeTolerance;
            }
            catch (ArgumentException)
            {
                return true; // no process has that pid
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // It exited while being read, or may not be read: fall back on the heartbeat.
            }
        }
        return now - lease.HeartbeatAt > Expiry;
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HeartbeatInterval, clock, stop);
                await runs.RenewLeaseAsync(_lease! with { HeartbeatAt = clock.GetUtcNow() }, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // A busy or unreachable database misses one beat; the lease expires only after many.
            }
        }
    }

    /// <summary>Stops the heartbeat and releases the lease: runs still open in this process end failed at the next sweep.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_heartbeat is not null) await _heartbeat;
        if (_lease is not null)
        {
            try
            {
                await runs.ReleaseLeaseAsync(_lease.ProcessId, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The store is out of reach at shutdown: the lease is noticed as gone by its pid or its expired heartbeat.
            }
        }
        _stop.Dispose();
    }
}
