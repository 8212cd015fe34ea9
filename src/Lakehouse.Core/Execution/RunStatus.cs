namespace Lakehouse.Core.Execution;

/// <summary>The lifecycle of a run.</summary>
public enum RunStatus { Queued, Running, Succeeded, Failed, Canceling, Canceled }

/// <summary>The lifecycle of one step of a run.</summary>
public enum StepStatus { Pending, Queued, Running, Succeeded, Failed, Skipped, Canceled }

public static class StatusExtensions
{
    public static bool IsFinal(this RunStatus s) => s is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Canceled;
    public static bool IsFinal(this StepStatus s) => s is StepStatus.Succeeded or StepStatus.Failed or StepStatus.Skipped or StepStatus.Canceled;
}
