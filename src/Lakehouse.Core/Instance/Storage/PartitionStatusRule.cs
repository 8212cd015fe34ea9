namespace Lakehouse.Core.Instance.Storage;

/// <summary>Which events move the latest status of an (asset, partition), and to what.</summary>
internal static class PartitionStatusRule
{
    /// <summary>The stored partition key of an unpartitioned asset: real keys are never empty.</summary>
    public const string NoPartition = "";

    public static MaterializationState? StateAfter(EventRecord record) =>
        record.Step is null ? null : record.Type switch
        {
            EventType.StepStarted => MaterializationState.Running,
            EventType.Materialization => MaterializationState.Materialized,
            EventType.StepFailed => MaterializationState.Failed,
            // The last successful materialization stays beside it (the status row keeps it).
            EventType.StepCanceled => MaterializationState.Canceled,
            _ => null,
        };
}
