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

    public static EventRecord Ended(string runId, RunStatus status, DateTimeOffset at) => status switch
    {
        RunStatus.Succeeded => new EventRecord(EventType.RunSucceeded, runId, at) { Message = "Run succeeded." },
        RunStatus.Canceled => new EventRecord(EventType.RunCanceled, runId, at) { Message = "Run canceled." },
        _ => new EventRecord(EventType.RunFailed, runId, at) { Level = "Error", Message = "Run failed." },
    };
}
