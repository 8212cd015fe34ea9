namespace TmLakehouse.Orchestrator.Cli;

/// <summary>A run's partitions in one short cell: a run over every partition of a lake names hundreds, which no table row can hold.</summary>
public static class PartitionList
{
    public static string Summarize(IReadOnlyList<string> partitions) => partitions.Count switch
    {
        0 => "-",
        1 => partitions[0],
        _ => $"{partitions[0]} +{partitions.Count - 1} more",
    };
}
