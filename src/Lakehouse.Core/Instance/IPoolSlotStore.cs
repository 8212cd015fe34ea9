namespace Lakehouse.Core.Instance;

/// <summary>The slots of concurrency pools, shared by every process of the instance: at most the pool's limit of holders at once.</summary>
public interface IPoolSlotStore
{
    /// <summary>Takes a slot of <paramref name="pool"/> (one of its first <paramref name="limit"/>) free or expired at <paramref name="now"/>; false when all are held.</summary>
    Task<bool> TryAcquireAsync(string pool, int limit, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Extends the holder's lease.</summary>
    Task RenewAsync(string pool, string holder, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseAsync(string pool, string holder, CancellationToken cancellationToken);

    /// <summary>How many slots of the pool are held at <paramref name="now"/>.</summary>
    Task<int> CountHeldAsync(string pool, DateTimeOffset now, CancellationToken cancellationToken);
}
