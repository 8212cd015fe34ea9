namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>What a process does with the job queue: only launch and read runs, or also execute steps; and whether it serves the ticks.</summary>
public sealed record RuntimeRole(bool RunsWorkers, int WorkerCount, IReadOnlyList<string> Queues)
{
    public const string DefaultQueue = "default";

    /// <summary>
    /// The queue of the sensor and automation ticks. Steps are chained inline, so a long run keeps its step workers busy: on
    /// the steps' queue a tick would wait for the run to end.
    /// </summary>
    public const string TicksQueue = "ticks";

    /// <summary>
    /// The workers that serve <see cref="TicksQueue"/> alone: two, so that a long tick (the manifest sensor landing a batch)
    /// does not hold back the others.
    /// </summary>
    public const int TickWorkerCount = 2;

    /// <summary>Serves <see cref="TicksQueue"/> with workers of its own (`tmlake serve`, `tmlake worker`).</summary>
    public bool RunsTicks { get; init; }

    /// <summary>Launches and reads runs; steps run elsewhere (shared PostgreSQL job storage).</summary>
    public static RuntimeRole ClientOnly { get; } = new(false, 0, [DefaultQueue]);

    public static RuntimeRole Workers(int count, IReadOnlyList<string>? queues = null) => new(true, Math.Max(1, count), queues ?? [DefaultQueue]);
}
