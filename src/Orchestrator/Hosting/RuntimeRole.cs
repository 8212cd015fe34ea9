namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>What a process does with the job queue: only launch and read runs, or also execute steps.</summary>
public sealed record RuntimeRole(bool RunsWorkers, int WorkerCount, IReadOnlyList<string> Queues)
{
    public const string DefaultQueue = "default";

    /// <summary>Launches and reads runs; steps run elsewhere (shared PostgreSQL job storage).</summary>
    public static RuntimeRole ClientOnly { get; } = new(false, 0, [DefaultQueue]);

    public static RuntimeRole Workers(int count, IReadOnlyList<string>? queues = null) => new(true, Math.Max(1, count), queues ?? [DefaultQueue]);
}
