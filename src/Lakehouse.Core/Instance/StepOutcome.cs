namespace Lakehouse.Core.Instance;

/// <summary>How a step attempt ended, as reported to the run store.</summary>
public sealed record StepOutcome(bool Succeeded, string? Error = null)
{
    public static StepOutcome Success { get; } = new(true);
    public static StepOutcome Failure(string error) => new(false, error);
}
