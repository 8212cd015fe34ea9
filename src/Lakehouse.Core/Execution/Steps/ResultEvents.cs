using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// Turns what the computation reported into events: a materialization for each of the step's assets and a result event for
/// each check. A blocking check that failed makes the step fail here, as a result rather than an exception, so it is never retried.
/// </summary>
public sealed class ResultEvents(IStepRunner inner, TimeProvider clock) : IStepRunner
{
    public async Task<StepResult> RunAsync(StepContext step, CancellationToken cancellationToken)
    {
        var result = await inner.RunAsync(step, cancellationToken);
        if (result.Output is not { } output) return result;
        var perAsset = new Dictionary<AssetKey, MaterializeResult>();
        foreach (var one in (IEnumerable<MaterializeResult>)[output with { Others = [] }, .. output.Others])
        {
            var asset = one.AssetKey ?? step.Step.Asset;
            if (!step.Assets.Contains(asset))
                return StepResult.Failed($"The computation of {step.Step.Asset} reported a result for {asset}, which it does not materialize ({string.Join(", ", step.Assets)}).");
            if (!perAsset.TryAdd(asset, one))
                return StepResult.Failed($"The computation of {step.Step.Asset} reported two results for {asset}.");
        }
        var missing = step.Assets.Where(a => !perAsset.ContainsKey(a)).ToList();
        if (missing.Count > 0)
            return StepResult.Failed($"The computation of {step.Step.Asset} reported no result for {string.Join(", ", missing)}, which it materializes.");

        var now = clock.GetUtcNow();
        var duration = (long)clock.GetElapsedTime(step.StartedTimestamp).TotalMilliseconds;
        var blocking = new List<AssetCheckResult>();
        IReadOnlyDictionary<string, MetadataValue> own = new Dictionary<string, MetadataValue>();
        foreach (var asset in step.Assets)
        {
            var one = perAsset[asset];
            var metadata = one.Metadata.ContainsKey("duration_ms")
                ? one.Metadata
                : new Dictionary<string, MetadataValue>(one.Metadata) { ["duration_ms"] = MetadataValue.Int(duration) };
            if (asset == step.Step.Asset) own = metadata;
            var about = asset == step.Step.Asset ? null : asset;
            step.Events.Add(new EventRecord(EventType.Materialization, step.RunId, now)
            {
                Step = step.Step,
                Asset = about,
                Message = $"Materialized {new StepKey(asset, step.Step.Partition)}.",
                Metadata = metadata,
            });
            foreach (var check in one.CheckResults)
            {
                step.Events.Add(new EventRecord(EventType.CheckResult, step.RunId, now)
                {
                    Step = step.Step,
                    Asset = about,
                    Level = check.Passed ? "Information" : check.Severity == AssetCheckSeverity.Warn ? "Warning" : "Error",
                    Message = $"Check {check.CheckName} {(check.Passed ? "passed" : "failed")}{(string.IsNullOrEmpty(check.Description) ? "" : ": " + check.Description)}",
                    Check = check,
                    Metadata = check.Metadata,
                });
                if (check.StopsDownstream) blocking.Add(check);
            }
        }
        return blocking.Count == 0
            ? StepResult.Succeeded(own)
            : StepResult.Failed($"Blocking check(s) failed: {string.Join("; ", blocking.Select(c => string.IsNullOrEmpty(c.Description) ? c.CheckName : $"{c.CheckName}: {c.Description}"))}", own);
    }
}
