namespace Lakehouse.Core.Assets;

/// <summary>How the wait before each retry grows.</summary>
public enum RetryBackoff { Constant, Linear, Exponential }

/// <summary>
/// How often a failed step of an asset is tried again, and how long to wait before each try: <see cref="Delay"/> before the
/// first retry, then growing by <see cref="Backoff"/> (doubling by default), never longer than <see cref="MaxDelay"/>.
/// Only failures that may pass are retried (see <see cref="Execution.Steps.FailureClassifier"/>).
/// </summary>
public sealed record RetryPolicy(int MaxRetries, TimeSpan Delay)
{
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero);

    public RetryBackoff Backoff { get; init; } = RetryBackoff.Exponential;
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var factor = Backoff switch
        {
            RetryBackoff.Constant => 1d,
            RetryBackoff.Linear => retry,
            _ => Math.Pow(2, Math.Min(retry - 1, 30)),
        };
        var ticks = Math.Min(Delay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)Math.Max(ticks, 0));
    }
}
