using Hangfire;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>
/// Launches the runs of open backfills under each one's concurrency limit and ends a backfill once every partition's run has
/// ended. One ticker at a time per backfill across processes (a lease in the instance store); a Hangfire recurring job ticks in
/// `tmlake serve` and every `tmlake worker`, and `tmlake backfill` ticks in the foreground while it follows one.
/// </summary>
/// <remarks>
/// Exactly once: a chunk's run id is stored before its run is launched. A ticker killed in between leaves a claim without a
/// run; the next ticker (after the lease ends) launches it under the same id, so the run exists once.
/// </remarks>
public sealed class BackfillDaemon(LakehouseInstance instance, RunCoordinator coordinator, TimeProvider clock, Serilog.ILogger log)
{
    public const string RecurringJobId = "tm:backfills";

    /// <summary>The most runs one tick launches, so a tick (and its lease) stays short whatever the limit.</summary>
    private const int LaunchesPerTick = 500;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly string ProcessOwner = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The Hangfire job: a tick of every open backfill; never retried (the next tick is the retry).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task TickAllAsync(CancellationToken cancellationToken)
    {
        foreach (var backfill in await instance.Backfills.ListAsync(BackfillStatus.Requested, 1000, cancellationToken))
            await TickAsync(backfill.Id, cancellationToken);
    }

    /// <summary>Launches what the limit allows and ends the backfill when everything ended; returns its progress. Another process's tick in hand makes it only read.</summary>
    public async Task<BackfillProgress> TickAsync(long id, CancellationToken cancellationToken)
    {
        var owner = $"{ProcessOwner}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow();
        if (!await instance.Backfills.TryLeaseAsync(id, owner, now, now + Lease, cancellationToken))
            return await instance.Backfills.GetProgressAsync(id, cancellationToken);
        try
        {
            var backfill = await instance.Backfills.GetAsync(id, cancellationToken);
            var progress = await instance.Backfills.GetProgressAsync(id, cancellationToken);
            if (backfill is not { Status: BackfillStatus.Requested }) return progress;
            var free = Math.Min(LaunchesPerTick, backfill.MaxConcurrentRuns - progress.RunsInFlight);
            if (free > 0)
            {
                // Every run of a tick plans the same selection: its partition keys and upstream materializations are read once.
                var snapshot = new LaunchSnapshot(instance);
                foreach (var chunk in await instance.Backfills.GetChunksToLaunchAsync(id, free, cancellationToken))
                {
                    // A cancel does not wait for the lease: look again before each launch.
                    if ((await instance.Backfills.GetAsync(id, cancellationToken))?.Status != BackfillStatus.Requested) return progress;
                    await LaunchAsync(backfill, chunk, snapshot, cancellationToken);
                }
            }
            progress = await instance.Backfills.GetProgressAsync(id, cancellationToken);
            if (progress.Finished)
            {
                var status = progress.Failed > 0 ? BackfillStatus.Failed : BackfillStatus.Completed;
                if (await instance.Backfills.SetStatusAsync(id, status, [BackfillStatus.Requested], clock.GetUtcNow(), cancellationToken))
                    log.Information("Backfill {backfill_id} ended {status}: {done} of {total} partition(s) done, {failed} failed",
                        id, status.ToString().ToLowerInvariant(), progress.Done, progress.Total, progress.Failed);
            }
            return progress;
        }
        finally
        {
            await instance.Backfills.ReleaseLeaseAsync(id, owner, CancellationToken.None);
        }
    }

    private async Task LaunchAsync(BackfillRecord backfill, BackfillChunk chunk, LaunchSnapshot snapshot, CancellationToken cancellationToken)
    {
        var runId = chunk.RunId ?? RunIds.New();
        if (chunk.RunId is null) await instance.Backfills.ClaimChunkAsync(backfill.Id, chunk.Chunk, runId, cancellationToken);
        var request = new RunRequest(backfill.Selection)
        {
            Partitions = chunk.Partitions,
            Tags = new Dictionary<string, string> { ["backfill"] = backfill.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        try
        {
            await coordinator.LaunchAsync(request, cancellationToken, runId, snapshot);
        }
        catch (Lakehouse.Core.UserFacingException ex)
        {
            // Refused at launch (an upstream never materialized): its partitions count as failed, with why, and resume tries again.
            log.Warning("Backfill {backfill_id} could not launch run {run_id}: {reason}", backfill.Id, runId, ex.Message);
            await instance.Backfills.SetLaunchErrorAsync(backfill.Id, chunk.Chunk, ex.Message, CancellationToken.None);
        }
    }

    /// <summary>Ticks every open backfill every five seconds in the process whose job storage this is.</summary>
    public static void RegisterRecurringJob(JobStorage storage) =>
        new RecurringJobManager(storage).AddOrUpdate<BackfillDaemon>(RecurringJobId, d => d.TickAllAsync(CancellationToken.None), "*/5 * * * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed });
}
