using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>What a committed <see cref="IInstanceTransaction"/> decided.</summary>
public sealed record InstanceCommit
{
    /// <summary>The steps its claims started, as stored (with their upstream reads).</summary>
    public IReadOnlyList<StepRecord> Claimed { get; init; } = [];
    /// <summary>The steps its completions ended (a completion of a step that had already ended, or of another attempt, is not here).</summary>
    public IReadOnlyList<RunStep> Completed { get; init; } = [];
    /// <summary>Step attempts now Queued, to hand to the workers after the commit.</summary>
    public IReadOnlyList<QueuedStep> ToEnqueue { get; init; } = [];
    public IReadOnlyList<RunStep> Skipped { get; init; } = [];
    /// <summary>The runs that ended, with how.</summary>
    public IReadOnlyDictionary<string, RunStatus> RunsEnded { get; init; } = new Dictionary<string, RunStatus>();
    /// <summary>The runs a cancel reached before they ended.</summary>
    public IReadOnlyList<string> CancelsApplied { get; init; } = [];

    /// <summary>The progress of one run, in the shape of the store's single decisions.</summary>
    public RunProgress ProgressOf(string runId) => new(
        ToEnqueue.Where(q => q.RunId == runId).Select(q => q.Step).ToList(),
        Skipped.Where(s => s.RunId == runId).Select(s => s.Step).ToList(),
        RunsEnded.TryGetValue(runId, out var status) ? status : null);
}

/// <summary>One step of one run.</summary>
public sealed record RunStep(string RunId, StepKey Step);

/// <summary>A step attempt to enqueue after a commit, after a delay (a retry's backoff) or at once.</summary>
public sealed record QueuedStep(string RunId, StepKey Step, int Attempt, TimeSpan Delay);
