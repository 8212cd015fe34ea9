namespace Lakehouse.Core.Instance;

/// <summary>The instance: a thin composition of small stores (runs, events, partitions, scheduling, ledger, sensors, backfills) over one database.</summary>
public sealed record LakehouseInstance(
    IRunStore Runs,
    IEventLogStore Events,
    IDynamicPartitionStore Partitions,
    ISchedulingStore Scheduling,
    ILedgerStore Ledger) : IAsyncDisposable
{
    /// <summary>Sensor leases, run keys and ticks (their on/off and cursor are in <see cref="Scheduling"/>).</summary>
    public ISensorStore Sensors { get; init; } = null!;

    /// <summary>Stored backfills, their partitions and progress.</summary>
    public IBackfillStore Backfills { get; init; } = null!;

    /// <summary>Automation ticks and decisions, and the open steps the daemon reads.</summary>
    public IAutomationStore Automation { get; init; } = null!;

    /// <summary>Alert deliveries.</summary>
    public IAlertStore Alerts { get; init; } = null!;

    /// <summary>The slots of concurrency pools (TM_POOL_&lt;NAME&gt;).</summary>
    public IPoolSlotStore Pools { get; init; } = null!;

    /// <summary>The database resources the stores share (a connection pool), released by <see cref="DisposeAsync"/>.</summary>
    internal IAsyncDisposable? Owned { get; init; }

    /// <summary>Starts a write-only transaction over runs and events (see <see cref="IInstanceTransaction"/>).</summary>
    public IInstanceTransaction BeginTransaction() => Runs.BeginTransaction();

    public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
