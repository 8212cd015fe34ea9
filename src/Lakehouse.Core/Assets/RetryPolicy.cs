namespace Lakehouse.Core.Assets;

/// <summary>How often a failed step of an asset is tried again, and how long to wait between tries.</summary>
public sealed record RetryPolicy(int MaxRetries, TimeSpan Delay)
{
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero);
}
