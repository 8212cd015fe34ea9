using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>One stored step loaded for a run-state decision and written back by <see cref="RunSession.SaveSteps"/>.</summary>
internal sealed class PlanStep
{
    public required StepKey Key { get; init; }
    public required IReadOnlyList<StepKey> DependsOn { get; init; }
    public required StepStatus Status { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>The stored upstream reads (JSON), when the read that loaded the step selected them.</summary>
    public string? UpstreamJson { get; init; }

    public StepRecord ToRecord(string runId) => new(runId, Key, Status, DependsOn)
    {
        Attempt = Attempt,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Error = Error,
        UpstreamPartitions = UpstreamJson is null ? StepRecord.NoReads : InstanceJson.ReadUpstream(UpstreamJson),
    };
}
