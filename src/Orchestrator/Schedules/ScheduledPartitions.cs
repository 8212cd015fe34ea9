using Lakehouse.Core.Partitions;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>Computes the partition keys a schedule's tick materializes (an empty list means "nothing to do this tick").</summary>
public delegate Task<IReadOnlyList<string>> ScheduledPartitions(DateTimeOffset tick, IPartitionKeySource keys, CancellationToken cancellationToken);
