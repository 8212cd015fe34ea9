using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>
/// Submits, cancels and resumes backfills. A submission reads the range once (<see cref="PartitionSpec"/>) against the selected
/// assets and stores every partition it spans, or refuses it with nothing stored; <see cref="BackfillDaemon"/> launches the runs.
/// </summary>
public sealed class BackfillLauncher(AssetGraph graph, LakehouseInstance instance, RunCoordinator coordinator, LakehouseOptions options, TimeProvider clock)
{
    /// <summary>Stores the backfill and returns its id; a bad selection, range or split is a <see cref="Lakehouse.Core.UserFacingException"/>.</summary>
    public async Task<long> SubmitAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PartitionsPerRun < 1) throw new RunPlanException($"--partitions-per-run must be at least 1, not {request.PartitionsPerRun}.");
        if (request.MaxConcurrentRuns < 1) throw new RunPlanException($"--max-concurrent-runs must be at least 1, not {request.MaxConcurrentRuns}.");
        var keys = await PartitionsOfAsync(request.Selection, request.Partitions, cancellationToken);
        if (request.SingleRun && keys.Count > options.MaxRunPartitions)
            throw new RunPlanException(
                $"The range spans {keys.Count} partitions; one run takes at most {options.MaxRunPartitions} (TM_MAX_RUN_PARTITIONS): drop --single-run or use --partitions-per-run.");
        var record = new BackfillRecord(0, BackfillStatus.Requested, request.Selection, request.Partitions.Trim(), clock.GetUtcNow())
        {
            PartitionsPerRun = request.SingleRun ? keys.Count : Math.Min(request.PartitionsPerRun, options.MaxRunPartitions),
            SingleRun = request.SingleRun,
            MaxConcurrentRuns = request.MaxConcurrentRuns,
        };
        return await instance.Backfills.CreateAsync(record, keys, cancellationToken);
    }

    /// <summary>
    /// The partitions a range spans for a selection, as key texts of its most finely partitioned asset (the planner projects
    /// them onto coarser ones: a course × day range gives a per-course asset its courses).
    /// </summary>
    public async Task<IReadOnlyList<string>> PartitionsOfAsync(string selection, string range, CancellationToken cancellationToken)
    {
        var spec = PartitionSpec.Parse(range);
        var assets = graph.StepAssetsInOrder(AssetSelection.Parse(selection).Resolve(graph));
        var partitioned = assets.Where(a => graph.Spec(a).Partitions is not null).ToList();
        if (partitioned.Count == 0)
            throw new RunPlanException($"None of the selected assets ({string.Join(", ", assets)}) is partitioned: materialize them instead of backfilling.");
        var reference = partitioned
            .OrderByDescending(a => graph.Spec(a).Partitions!.DimensionNames.Count)
            .FirstOrDefault(a => Covers(graph.Spec(a).Partitions!.DimensionNames, spec));
        if (reference is null)
            throw new RunPlanException(
                $"Partition range '{spec.Text}' names dimensions no selected asset has all of (they have " +
                $"{string.Join("; ", partitioned.Select(a => $"{a}: {string.Join(" × ", graph.Spec(a).Partitions!.DimensionNames)}"))}).");
        var keys = await spec.ExpandAsync(reference, graph.Spec(reference).Partitions!, instance.Partitions, clock, cancellationToken);
        return keys.Select(k => k.Value).ToList();
    }

    /// <summary>Stops launching runs and cancels those in flight.</summary>
    public async Task CancelAsync(long id, CancellationToken cancellationToken)
    {
        var backfill = await GetAsync(id, cancellationToken);
        if (!await instance.Backfills.SetStatusAsync(id, BackfillStatus.Canceled, [BackfillStatus.Requested], clock.GetUtcNow(), cancellationToken))
            throw new RunLaunchException($"Backfill {id} already ended ({Lower(backfill.Status)}).");
        foreach (var run in await instance.Backfills.GetRunsAsync(id, int.MaxValue, cancellationToken))
        {
            if (run.RunId is null || run.Status is null or "succeeded" or "failed" or "canceled") continue;
            try
            {
                await coordinator.CancelAsync(run.RunId, cancellationToken);
            }
            catch (RunLaunchException)
            {
                // It ended between the read and the cancel: nothing left to stop.
            }
        }
    }

    /// <summary>Launches again what failed, was canceled or never ran; returns how many partitions.</summary>
    public async Task<int> ResumeAsync(long id, CancellationToken cancellationToken)
    {
        var backfill = await GetAsync(id, cancellationToken);
        if (backfill.Status == BackfillStatus.Requested) throw new RunLaunchException($"Backfill {id} is still running: there is nothing to resume.");
        if (backfill.Status == BackfillStatus.Completed) throw new RunLaunchException($"Backfill {id} completed: every partition succeeded.");
        var progress = await instance.Backfills.GetProgressAsync(id, cancellationToken);
        if (progress.InFlight > 0)
            throw new RunLaunchException($"Backfill {id} still has {progress.RunsInFlight} run(s) ending; resume it once they have (`tmlake backfill show {id}`).");
        var count = await instance.Backfills.ResetUnsucceededAsync(id, cancellationToken);
        await instance.Backfills.SetStatusAsync(id, BackfillStatus.Requested, [BackfillStatus.Failed, BackfillStatus.Canceled], null, cancellationToken);
        return count;
    }

    public async Task<BackfillRecord> GetAsync(long id, CancellationToken cancellationToken) =>
        await instance.Backfills.GetAsync(id, cancellationToken) ?? throw new RunLaunchException($"No backfill {id}. List backfills with `tmlake backfills`.");

    private static bool Covers(IReadOnlyList<string> dimensions, PartitionSpec spec) =>
        spec.Bare is not null ? dimensions.Count == 1 : spec.Dimensions.Keys.All(dimensions.Contains);

    private static string Lower(BackfillStatus status) => status.ToString().ToLowerInvariant();
}
