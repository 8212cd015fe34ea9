namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Turns what the computation threw into the step's result: a failure that may pass (I/O, network) is retried with the
/// asset's backoff while it has retries left; a deterministic one (bad input, a failed gate, nothing landed) fails the step at once.
/// </summary>
public sealed class RetryClassification(IStepRunner inner) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.RunAsync(step, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // A cancel or a stopping worker: the links outside decide what that means.
            throw;
        }
        catch (Exception ex)
        {
            var policy = step.Definition.Spec.Retry;
            var kind = FailureClassifier.Classify(ex);
            var error = FailureClassifier.Describe(ex);
            if (kind != FailureKind.Deterministic && step.Attempt <= policy.MaxRetries)
            {
                var delay = policy.DelayBefore(step.Attempt);
                step.Log.Warning(ex, "Step {step} attempt {attempt} failed ({failure}); retrying in {delay_ms} ms",
                    step.Step.ToString(), step.Attempt, kind.ToString().ToLowerInvariant(), (long)delay.TotalMilliseconds);
                return StepResult.Retry(
                    $"Attempt {step.Attempt} failed ({error}); retry {step.Attempt} of {policy.MaxRetries} in {delay.TotalSeconds:0.###} s.", delay);
            }
            step.Log.Error(ex, "Step {step} failed{why}: {error}", step.Step.ToString(),
                kind == FailureKind.Deterministic && policy.MaxRetries > 0 ? " (deterministic, not retried)" : "", error);
            return StepResult.Failed(error, FailureClassifier.FailureMetadata(ex));
        }
    }
}
