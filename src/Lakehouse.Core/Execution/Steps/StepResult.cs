namespace Lakehouse.Core.Execution.Steps;

/// <summary>How a step attempt ended, as the pipeline passes it outward.</summary>
public enum StepResultKind { Succeeded, Failed, Retry, Canceled }

/// <summary>
/// The end of one attempt: succeeded (with the step's metadata), failed (with the error), to be retried (after a delay), or
/// canceled; the innermost runner also carries what the computation returned, until the results-to-events link turns it into events.
/// </summary>
public sealed record StepResult(StepResultKind Kind)
{
    public string? Error { get; init; }
    /// <summary>The metadata of the step's own asset (its materialization, or the stack trace of a failure).</summary>
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = new Dictionary<string, MetadataValue>();
    /// <summary>What the asset's computation returned, before it became events.</summary>
    public MaterializeResult? Output { get; init; }
    public TimeSpan RetryDelay { get; init; }

    /// <summary>False for a retry: the step goes on as another attempt.</summary>
    public bool IsFinal => Kind != StepResultKind.Retry;

    public static StepResult Materialized(MaterializeResult output) => new(StepResultKind.Succeeded) { Output = output };

    public static StepResult Succeeded(IReadOnlyDictionary<string, MetadataValue> metadata) => new(StepResultKind.Succeeded) { Metadata = metadata };

    public static StepResult Failed(string error, IReadOnlyDictionary<string, MetadataValue>? metadata = null) =>
        new(StepResultKind.Failed) { Error = error, Metadata = metadata ?? new Dictionary<string, MetadataValue>() };

    public static StepResult Retry(string reason, TimeSpan delay) => new(StepResultKind.Retry) { Error = reason, RetryDelay = delay };

    public static StepResult Canceled(string reason) => new(StepResultKind.Canceled) { Error = reason };
}
