using System.Diagnostics;
using Lakehouse.Core;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Observability;
using Lakehouse.Core.Quality;
using TmLakehouse.Orchestrator.Logging;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// Runs one attempt of one step on a worker: claims it (a duplicate job claims nothing), calls the asset, turns its result
/// into events, retries per the asset's policy, and reports the outcome to the run store, whose decision the coordinator applies.
/// </summary>
public sealed class StepExecutor(
    AssetGraph graph,
    LakehouseResources resources,
    UpstreamPartitionResolver upstream,
    RunCoordinator coordinator,
    IStepQueue queue,
    TimeProvider clock,
    Serilog.ILogger processLog)
{
    /// <summary>How often a running step checks whether its run was canceled (works across processes).</summary>
    public static TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    private LakehouseInstance Instance => resources.Instance;
    private string LogsFolder => Path.Combine(resources.Options.Home, "logs", "runs");

    public Task ExecuteAsync(string runId, string stepText, int attempt, CancellationToken workerShutdown) =>
        ExecuteAsync(runId, stepText, attempt, null, workerShutdown);

    /// <summary>
    /// Runs the attempt; when the claim fails because an earlier delivery of this same job claimed it and its worker
    /// stopped or died mid-step, the attempt is declared lost and the step runs again as the next attempt.
    /// </summary>
    public async Task ExecuteAsync(string runId, string stepText, int attempt, IStepDelivery? delivery, CancellationToken workerShutdown)
    {
        var step = StepKey.Parse(stepText);
        var redelivered = delivery?.EarlierDeliveryClaimed(attempt) == true;
        delivery?.MarkClaiming(attempt);
        if (!await Instance.Runs.TryStartStepAsync(runId, step, attempt, clock.GetUtcNow(), workerShutdown))
        {
            if (redelivered) await RecoverLostAttemptAsync(runId, step, attempt, workerShutdown);
            return;
        }
        try
        {
            await RunClaimedAsync(runId, step, attempt, workerShutdown);
        }
        catch (Exception ex) when (!workerShutdown.IsCancellationRequested)
        {
            // The asset's own exceptions are handled inside; this is the machinery failing around it (events, logs, summary
            // upload). The step must still end, or its run would wait for it forever.
            if (!await TryFailClaimedAsync(runId, step, attempt, ex)) throw;
        }
    }

    private async Task RunClaimedAsync(string runId, StepKey step, int attempt, CancellationToken workerShutdown)
    {
        var definition = graph.Get(step.Asset);
        using var activity = LakehouseTelemetry.Source.StartActivity("step");
        activity?.SetTag("run_id", runId).SetTag("asset_key", step.Asset.Value).SetTag("partition", step.Partition?.Value).SetTag("attempt", attempt);
        var assetTag = new KeyValuePair<string, object?>("asset_key", step.Asset.Value);
        LakehouseTelemetry.StepsStarted.Add(1, assetTag);

        await using var logScope = new StepLogScope(processLog, LogsFolder, runId, step, Instance.Events);
        await Instance.Events.AppendAsync(new EventRecord(EventType.StepStarted, runId, clock.GetUtcNow())
        {
            Step = step,
            Message = attempt == 1 ? "Step started." : $"Step started (attempt {attempt}).",
        }, workerShutdown);
        logScope.Log.Information("Step {step} started (attempt {attempt})", step.ToString(), attempt);

        using var canceled = CancellationTokenSource.CreateLinkedTokenSource(workerShutdown);
        using var stopWatching = new CancellationTokenSource();
        var watcher = WatchForCancelAsync(runId, canceled, stopWatching.Token);
        var stopwatch = Stopwatch.StartNew();
        StepOutcome outcome;
        IReadOnlyDictionary<string, MetadataValue> metadata = new Dictionary<string, MetadataValue>();
        try
        {
            var context = new AssetExecutionContext
            {
                RunId = runId,
                AssetKey = step.Asset,
                Partition = step.Partition,
                Attempt = attempt,
                UpstreamPartitions = await upstream.ResolveAsync(step, canceled.Token),
                Log = logScope.Log,
                Clock = clock,
                Resources = resources,
            };
            var result = await definition.Compute.MaterializeAsync(context, canceled.Token);
            metadata = WithDuration(result.Metadata, stopwatch.ElapsedMilliseconds);
            await RecordResultAsync(runId, step, metadata, result.CheckResults, workerShutdown);
            var blocking = result.CheckResults.Where(c => c.StopsDownstream).ToList();
            outcome = blocking.Count == 0
                ? StepOutcome.Success
                : StepOutcome.Failure($"Blocking check(s) failed: {string.Join("; ", blocking.Select(c => string.IsNullOrEmpty(c.Description) ? c.CheckName : $"{c.CheckName}: {c.Description}"))}");
        }
        catch (OperationCanceledException) when (canceled.IsCancellationRequested && !workerShutdown.IsCancellationRequested)
        {
            outcome = StepOutcome.Failure("Canceled: the run was asked to stop.");
        }
        catch (Exception) when (workerShutdown.IsCancellationRequested)
        {
            // The worker is stopping: the step stays Running and the queue hands this job out again, whose next
            // delivery recovers the attempt (see RecoverLostAttemptAsync).
            await StopWatchingAsync(stopWatching, watcher);
            throw;
        }
        catch (Exception ex)
        {
            if (attempt <= definition.Spec.Retry.MaxRetries)
            {
                await ScheduleRetryAsync(runId, step, attempt, definition.Spec.Retry, ex, logScope, workerShutdown);
                await StopWatchingAsync(stopWatching, watcher);
                return;
            }
            outcome = StepOutcome.Failure(Describe(ex));
            logScope.Log.Error(ex, "Step {step} failed: {error}", step.ToString(), outcome.Error);
            metadata = FailureMetadata(ex);
        }
        await StopWatchingAsync(stopWatching, watcher);

        var duration = stopwatch.ElapsedMilliseconds;
        LakehouseTelemetry.StepDuration.Record(duration, assetTag);
        (outcome.Succeeded ? LakehouseTelemetry.StepsSucceeded : LakehouseTelemetry.StepsFailed).Add(1, assetTag);
        var status = outcome.Succeeded ? "succeeded" : "failed";
        logScope.Log.Information("Step {step} {status} in {duration_ms} ms ({row_count} rows)",
            step.ToString(), status, duration, RowCount(metadata));
        activity?.SetStatus(outcome.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome.Error);

        var ended = outcome.Succeeded
            ? new EventRecord(EventType.StepSucceeded, runId, clock.GetUtcNow()) { Step = step, Message = $"Step succeeded in {duration} ms." }
            : new EventRecord(EventType.StepFailed, runId, clock.GetUtcNow()) { Step = step, Level = "Error", Message = outcome.Error ?? "Step failed.", Metadata = metadata };
        // The step's log lines go with its end event: one write to the instance store instead of one per line.
        await Instance.Events.AppendBatchAsync([ended, .. logScope.DrainEvents()], CancellationToken.None);
        await new StepSummaryWriter(resources.Objects).WriteAsync(
            StepSummaryWriter.FromMetadata(runId, step, status, attempt, duration, outcome.Error, metadata), step, CancellationToken.None);
        await logScope.FlushAsync(CancellationToken.None);

        var progress = await Instance.Runs.CompleteStepAsync(runId, step, outcome, clock.GetUtcNow(), CancellationToken.None);
        await coordinator.ApplyAsync(runId, progress, CancellationToken.None);
    }

    /// <summary>Ends a claimed attempt that is still Running as failed with the error; false when the step already moved on.</summary>
    private async Task<bool> TryFailClaimedAsync(string runId, StepKey step, int attempt, Exception ex)
    {
        processLog.Error(ex, "Step {step} of run {run_id} failed outside its asset", step.ToString(), runId);
        var stored = (await Instance.Runs.GetStepsAsync(runId, CancellationToken.None)).SingleOrDefault(s => s.Key == step);
        if (stored is not { Status: StepStatus.Running } || stored.Attempt != attempt) return false;
        var error = $"The worker failed around the step: {Describe(ex)}";
        await Instance.Events.AppendAsync(new EventRecord(EventType.StepFailed, runId, clock.GetUtcNow())
        {
            Step = step,
            Level = "Error",
            Message = error,
            Metadata = FailureMetadata(ex),
        }, CancellationToken.None);
        var progress = await Instance.Runs.CompleteStepAsync(runId, step, StepOutcome.Failure(error), clock.GetUtcNow(), CancellationToken.None);
        await coordinator.ApplyAsync(runId, progress, CancellationToken.None);
        return true;
    }

    /// <summary>
    /// The attempt this job claimed earlier never ended (its worker was killed or shut down mid-step): unless the step
    /// moved on since, the attempt is recorded as lost and the step is queued again as the next attempt.
    /// </summary>
    private async Task RecoverLostAttemptAsync(string runId, StepKey step, int attempt, CancellationToken cancellationToken)
    {
        var stored = (await Instance.Runs.GetStepsAsync(runId, cancellationToken)).SingleOrDefault(s => s.Key == step);
        if (stored is not { Status: StepStatus.Running } || stored.Attempt != attempt) return;
        processLog.Warning("Step {step} of run {run_id}: attempt {attempt} was lost with its worker; queuing attempt {next}", step.ToString(), runId, attempt, attempt + 1);
        await Instance.Events.AppendAsync(new EventRecord(EventType.StepRetry, runId, clock.GetUtcNow())
        {
            Step = step,
            Level = "Warning",
            Message = $"Attempt {attempt} was lost: the worker running it stopped before the step ended. Running it again as attempt {attempt + 1}.",
        }, cancellationToken);
        await Instance.Runs.RequeueStepAsync(runId, step, attempt + 1, cancellationToken);
        queue.Enqueue(runId, step, attempt + 1);
    }

    private async Task RecordResultAsync(string runId, StepKey step, IReadOnlyDictionary<string, MetadataValue> metadata,
        IReadOnlyList<AssetCheckResult> checks, CancellationToken cancellationToken)
    {
        await Instance.Events.AppendAsync(new EventRecord(EventType.Materialization, runId, clock.GetUtcNow())
        {
            Step = step,
            Message = $"Materialized {step}.",
            Metadata = metadata,
        }, cancellationToken);
        foreach (var check in checks)
        {
            await Instance.Events.AppendAsync(new EventRecord(EventType.CheckResult, runId, clock.GetUtcNow())
            {
                Step = step,
                Level = check.Passed ? "Information" : check.Severity == AssetCheckSeverity.Warn ? "Warning" : "Error",
                Message = $"Check {check.CheckName} {(check.Passed ? "passed" : "failed")}{(string.IsNullOrEmpty(check.Description) ? "" : ": " + check.Description)}",
                Check = check,
                Metadata = check.Metadata,
            }, cancellationToken);
        }
    }

    private async Task ScheduleRetryAsync(string runId, StepKey step, int attempt, RetryPolicy policy, Exception ex, StepLogScope logScope, CancellationToken cancellationToken)
    {
        logScope.Log.Warning(ex, "Step {step} attempt {attempt} failed; retrying in {delay_ms} ms", step.ToString(), attempt, (long)policy.Delay.TotalMilliseconds);
        await Instance.Events.AppendAsync(new EventRecord(EventType.StepRetry, runId, clock.GetUtcNow())
        {
            Step = step,
            Level = "Warning",
            Message = $"Attempt {attempt} failed ({Describe(ex)}); retry {attempt} of {policy.MaxRetries} in {policy.Delay.TotalSeconds:0.###} s.",
        }, cancellationToken);
        await Instance.Runs.RequeueStepAsync(runId, step, attempt + 1, cancellationToken);
        if (policy.Delay <= TimeSpan.Zero) queue.Enqueue(runId, step, attempt + 1);
        else queue.Schedule(runId, step, attempt + 1, policy.Delay);
    }

    private async Task WatchForCancelAsync(string runId, CancellationTokenSource cancel, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(CancelPollInterval, clock, stop);
                var run = await Instance.Runs.GetRunAsync(runId, stop);
                if (run?.Status is RunStatus.Canceling or RunStatus.Canceled)
                {
                    await cancel.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task StopWatchingAsync(CancellationTokenSource stop, Task watcher)
    {
        await stop.CancelAsync();
        await watcher;
    }

    private static IReadOnlyDictionary<string, MetadataValue> WithDuration(IReadOnlyDictionary<string, MetadataValue> metadata, long durationMs)
    {
        if (metadata.ContainsKey("duration_ms")) return metadata;
        return new Dictionary<string, MetadataValue>(metadata) { ["duration_ms"] = MetadataValue.Int(durationMs) };
    }

    private static long? RowCount(IReadOnlyDictionary<string, MetadataValue> metadata) =>
        metadata.TryGetValue("rows_out", out var v) && v.Value.TryGetInt64(out var n) ? n : null;

    /// <summary>
    /// Our own exceptions (bad input, failed gates) carry the whole story in their message; a framework exception
    /// (System.*) also needs its type to be understood.
    /// </summary>
    private static string Describe(Exception ex) => EnvironmentFailure.Describe(ex) ??
        (ex.GetType().Namespace?.StartsWith("System", StringComparison.Ordinal) == true ? $"{ex.GetType().Name}: {ex.Message}" : ex.Message);

    /// <summary>The stack trace, and whether the machine (a full or read-only disk, a server out of reach) rather than the step failed.</summary>
    private static Dictionary<string, MetadataValue> FailureMetadata(Exception ex)
    {
        var metadata = new Dictionary<string, MetadataValue> { ["stack_trace"] = MetadataValue.Text(ex.ToString()) };
        if (EnvironmentFailure.Describe(ex) is not null) metadata[EnvironmentFailure.MetadataKey] = MetadataValue.Text(EnvironmentFailure.MetadataValue);
        return metadata;
    }
}
