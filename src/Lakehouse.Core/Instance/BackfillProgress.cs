namespace Lakehouse.Core.Instance;

/// <summary>
/// A backfill's partitions by where their run stands: done (it succeeded), failed (it failed, was canceled, or could not be
/// launched), in flight (launched, not ended) and pending (never launched); <see cref="RunsInFlight"/> counts the runs.
/// </summary>
public sealed record BackfillProgress(int Total, int Done, int Failed, int InFlight, int Pending, int RunsInFlight)
{
    public bool Finished => Pending == 0 && InFlight == 0;

    /// <summary>Partitions ended per second since <paramref name="since"/>, or null before any ended.</summary>
    public double? Rate(DateTimeOffset since, DateTimeOffset now)
    {
        var seconds = (now - since).TotalSeconds;
        return Done + Failed == 0 || seconds <= 0 ? null : (Done + Failed) / seconds;
    }

    /// <summary>How long the partitions not ended will take at <paramref name="rate"/>, or null without a rate.</summary>
    public TimeSpan? Eta(double? rate) => rate is > 0 ? TimeSpan.FromSeconds((InFlight + Pending) / rate.Value) : null;
}
