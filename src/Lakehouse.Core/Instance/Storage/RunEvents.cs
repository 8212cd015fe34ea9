using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>The events a run decision writes about itself: the steps it skipped and the run's end.</summary>
internal static class RunEvents
{
    public static EventRecord Skipped(string runId, StepKey step, DateTimeOffset at) => new(EventType.StepSkipped, runId, at)
    {
        Step = step,
        Level = "Warning",
        Message = "Skipped: an upstream step failed or was canceled.",
    };

    public static EventRecord Ended(string runId, RunStatus status, DateTimeOffset at, string? reason = null) => status switch
    {
        RunStatus.Succeeded => new EventRecord(EventType.RunSucceeded, runId, at) { Message = "Run succeeded." },
        RunStatus.Canceled => new EventRecord(EventType.RunCanceled, runId, at) { Message = reason is null ? "Run canceled." : $"Run canceled: {reason}." },
        _ => new EventRecord(EventType.RunFailed, runId, at) { Level = "Error", Message = reason is null ? "Run failed." : $"Run failed: {reason}." },
    };

    /// <summary>The end of a step whose process is gone: failed (or canceled, when the run was canceling) with the reason.</summary>
    public static EventRecord Lost(string runId, StepKey step, StepStatus status, string reason, DateTimeOffset at) =>
        new(status == StepStatus.Canceled ? EventType.StepCanceled : EventType.StepFailed, runId, at)
        {
            Step = step,
            Level = "Error",
            Message = $"{(status == StepStatus.Canceled ? "Canceled" : "Failed")}: {reason}.",
        };
}
