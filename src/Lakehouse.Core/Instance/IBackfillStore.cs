namespace Lakehouse.Core.Instance;

/// <summary>Stored backfills: their partitions (stored in one statement however many), progress read from their runs, and the ticker's lease.</summary>
public interface IBackfillStore
{
    /// <summary>Stores the backfill (status Requested) and its partitions in order, split into runs of <see cref="BackfillRecord.PartitionsPerRun"/>; returns its id.</summary>
    Task<long> CreateAsync(BackfillRecord backfill, IReadOnlyList<string> partitions, CancellationToken cancellationToken);

    Task<BackfillRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Backfills newest first; only those with <paramref name="status"/> when given.</summary>
    Task<IReadOnlyList<BackfillRecord>> ListAsync(BackfillStatus? status, int limit, CancellationToken cancellationToken);

    Task<BackfillProgress> GetProgressAsync(long id, CancellationToken cancellationToken);

    /// <summary>The runs of a backfill by chunk, with their partitions (up to <paramref name="limit"/> chunks).</summary>
    Task<IReadOnlyList<BackfillRun>> GetRunsAsync(long id, int limit, CancellationToken cancellationToken);

    /// <summary>Takes the backfill's ticker lease for <paramref name="owner"/> when free or expired at <paramref name="now"/>; false when another holds it.</summary>
    Task<bool> TryLeaseAsync(long id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(long id, string owner, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> chunks to launch, in order: those never claimed, and those claimed whose run was never stored (the claimer died).</summary>
    Task<IReadOnlyList<BackfillChunk>> GetChunksToLaunchAsync(long id, int limit, CancellationToken cancellationToken);

    /// <summary>Records the run id of a chunk before its run is launched.</summary>
    Task ClaimChunkAsync(long id, int chunk, string runId, CancellationToken cancellationToken);

    /// <summary>Records why a chunk's run could not be launched: its partitions count as failed.</summary>
    Task SetLaunchErrorAsync(long id, int chunk, string error, CancellationToken cancellationToken);

    /// <summary>Moves the backfill to <paramref name="status"/> when it is in one of <paramref name="from"/>; false when it was not.</summary>
    Task<bool> SetStatusAsync(long id, BackfillStatus status, IReadOnlyList<BackfillStatus> from, DateTimeOffset? endedAt, CancellationToken cancellationToken);

    /// <summary>Forgets the runs of chunks that failed, were canceled or never launched, so they launch again; returns how many partitions.</summary>
    Task<int> ResetUnsucceededAsync(long id, CancellationToken cancellationToken);
}
