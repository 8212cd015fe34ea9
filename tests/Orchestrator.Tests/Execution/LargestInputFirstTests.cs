using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Orchestrator.Tests.Support;
using Serilog;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// A run's first steps are queued largest input first, by the bytes their upstream partitions' latest materializations report,
/// read from a real embedded instance.
/// </summary>
public sealed class LargestInputFirstTests : IDisposable
{
    private static readonly StaticPartitionsDefinition Courses = new("course", ["a", "b", "c", "d"]);
    private static readonly AssetKey Raw = new("toy/raw"), Clean = new("toy/clean");
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static IReadOnlyList<AssetDefinition> Definitions() =>
    [
        AssetDefinition.Create(new AssetSpec(Raw) { Partitions = Courses }, (_, _) => Task.FromResult(new MaterializeResult())),
        AssetDefinition.Create(new AssetSpec(Clean) { Partitions = Courses, Deps = [new AssetDependency(Raw)] }, (_, _) => Task.FromResult(new MaterializeResult())),
    ];

    private Task<LakehouseRuntime> OpenAsync() =>
        LakehouseRuntime.OpenAsync(new LakehouseOptions { Home = _home.Path }, Definitions(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger());

    private static Task MaterializedAsync(LakehouseRuntime runtime, string course, params (string Key, long Bytes)[] metadata) =>
        runtime.Instance.Events.AppendAsync(new EventRecord(EventType.Materialization, $"earlier-{course}-{metadata.Length}", DateTimeOffset.UtcNow)
        {
            Step = new StepKey(Raw, new PartitionKey(course)),
            Metadata = metadata.ToDictionary(m => m.Key, m => MetadataValue.Int(m.Bytes)),
        }, CancellationToken.None);

    private static (IReadOnlyList<QueuedStep> Ready, IReadOnlyList<StepRecord> Steps) Plan(params string[] courses)
    {
        var ready = courses.Select(c => new QueuedStep("run-1", new StepKey(Clean, new PartitionKey(c)), 1, TimeSpan.Zero)).ToList();
        var steps = ready.Select(q => new StepRecord(q.RunId, q.Step, StepStatus.Queued, [])
        {
            UpstreamPartitions = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>> { [Raw] = [q.Step.Partition!] },
        }).ToList();
        return (ready, steps);
    }

    [Fact]
    public async Task ReadySteps_AreQueuedLargestUpstreamFirst_TheLatestMaterializationCounting_AndUnknownSizesKeepTheirOrderLast()
    {
        await using var runtime = await OpenAsync();
        await MaterializedAsync(runtime, "a", ("bytes", 10));
        await MaterializedAsync(runtime, "b", ("bytes", 999));
        await MaterializedAsync(runtime, "b", ("bytes", 5)); // the latest one counts
        await MaterializedAsync(runtime, "c", ("bytes_written", 70), ("bytes", 1));
        // d: never materialized with a size.
        var (ready, steps) = Plan("a", "b", "d", "c");

        var ordered = await LargestInputFirst.OrderAsync(ready, steps, runtime.Instance.Events, CancellationToken.None);

        Assert.Equal(["c", "a", "b", "d"], ordered.Select(q => q.Step.Partition!.Value));
    }

    [Fact]
    public async Task AStartWithMoreThanMaxOrderedReadySteps_IsQueuedAsPlanned()
    {
        await using var runtime = await OpenAsync();
        await MaterializedAsync(runtime, "d", ("bytes", 10));
        var (ready, steps) = Plan([.. Enumerable.Range(0, LargestInputFirst.MaxOrdered).Select(i => $"p{i}"), "d"]);

        var ordered = await LargestInputFirst.OrderAsync(ready, steps, runtime.Instance.Events, CancellationToken.None);

        Assert.Same(ready, ordered);
    }
}
