namespace Lakehouse.Core.Instance;

/// <summary>How a step attempt ended, as reported to the run store.</summary>
public sealed record StepOutcome(bool Succeeded, string? Error = null)
{
    /// <summary>The attempt stopped because its run was canceled: the step ends Canceled, not Failed.</summary>
    public bool Canceled { get; init; }

    public static StepOutcome Success { get; } = new(true);
    public static StepOutcome Failure(string error) => new(false, error);
    public static StepOutcome Cancellation(string reason) => new(false, reason) { Canceled = true };
}
