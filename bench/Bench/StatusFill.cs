using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Bench;

/// <summary>Writes one materialization event for each of N partitions of an asset, a few at a time, through the public store API.</summary>
internal static class StatusFill
{
    public static async Task FillAsync(IEventLogStore events, AssetKey asset, int partitions)
    {
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, ct) =>
            await events.AppendAsync(new EventRecord(EventType.Materialization, "status-fill", now)
            {
                Step = new StepKey(asset, new PartitionKey($"part-{p:000000}")),
            }, ct));
    }
}
