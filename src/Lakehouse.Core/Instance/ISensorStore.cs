namespace Lakehouse.Core.Instance;

/// <summary>What sensors keep beyond on/off and cursor (<see cref="ISchedulingStore"/>): the evaluation lease, run keys and ticks.</summary>
public interface ISensorStore
{
    /// <summary>Takes the sensor's lease for <paramref name="owner"/> until <paramref name="until"/> when it is free or expired at <paramref name="now"/>; false when another holds it.</summary>
    Task<bool> TryLeaseAsync(string sensor, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives the lease back (only the owner's).</summary>
    Task ReleaseLeaseAsync(string sensor, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Sorts the given distinct keys in one query whatever their number: those never requested, those claimed by a launch cut
    /// short, and of those launched only the ones among the first <paramref name="sample"/> given (for the skip texts). A tick
    /// re-listing 10,000 keys it has seen reads tens of rows back, not 10,000.
    /// </summary>
    Task<SensorRunKeyLookup> LookUpRunKeysAsync(string sensor, IReadOnlyList<string> runKeys, int sample, CancellationToken cancellationToken);

    /// <summary>Records new keys with the run ids chosen for them, before the runs launch; returns the keys this call claimed (a key another process claimed first keeps its run id).</summary>
    Task<IReadOnlySet<string>> ClaimRunKeysAsync(string sensor, IReadOnlyList<(string RunKey, string RunId)> claims, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets a key whose request could not be launched (its planning failed), so a later tick may request it again.</summary>
    Task ReleaseRunKeyAsync(string sensor, string runKey, CancellationToken cancellationToken);

    /// <summary>Stores a tick and removes the sensor's ticks older than <paramref name="pruneBefore"/>.</summary>
    Task<long> AddTickAsync(SensorTick tick, DateTimeOffset pruneBefore, CancellationToken cancellationToken);

    /// <summary>The sensor's ticks, newest first.</summary>
    Task<IReadOnlyList<SensorTick>> GetTicksAsync(string sensor, int limit, CancellationToken cancellationToken);
}
