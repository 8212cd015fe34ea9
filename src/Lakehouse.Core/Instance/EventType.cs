namespace Lakehouse.Core.Instance;

/// <summary>The kinds of events in the event log.</summary>
public enum EventType
{
    RunStarted, RunSucceeded, RunFailed, RunCanceled,
    StepStarted, StepSucceeded, StepFailed, StepSkipped, StepRetry,
    Materialization, CheckResult, Log,
    /// <summary>A step that was running when its run was canceled stopped.</summary>
    StepCanceled,
}
