using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class MaterializeStepTests : IAsyncLifetime
{
    private StepLake _lake = null!;

    public async Task InitializeAsync() => _lake = await StepLake.OpenAsync();
    public async Task DisposeAsync() => await _lake.DisposeAsync();

    [Fact]
    public async Task Run_CallsTheComputation_WithTheStepsAssetsAttemptAndStoredInputs()
    {
        var raw = new AssetSpec(new AssetKey("t/raw")) { Partitions = new StaticPartitionsDefinition("p", ["p1", "p2"]), Storage = new ObjectFolderStorage(Layers.Bronze) };
        AssetExecutionContext? seen = null;
        IReadOnlyList<InputObject> files = [];
        var multi = AssetDefinition.Multi(
            [new AssetSpec(new AssetKey("t/a")) { Partitions = raw.Partitions, Deps = [new AssetDependency(raw.Key)] }, new AssetSpec(new AssetKey("t/b")) { Partitions = raw.Partitions }],
            new Computation(async (context, ct) =>
            {
                seen = context;
                files = await context.Inputs.ObjectsAsync(raw.Key, ct);
                return MaterializeResult.Empty;
            }));
        var graph = AssetGraph.Build([new AssetDefinition(raw, new Computation((_, _) => Task.FromResult(MaterializeResult.Empty))), multi]);
        await using (var body = new MemoryStream("x"u8.ToArray()))
            await _lake.Objects.For(Layers.Bronze).PutAsync("p2/export.csv", body, null, CancellationToken.None);
        var step = new StepContext
        {
            RunId = "r", Step = new StepKey(multi.Key, new PartitionKey("p2")), Attempt = 3, Definition = multi,
            UpstreamPartitions = new Dictionary<AssetKey, IReadOnlyList<PartitionKey>> { [raw.Key] = [new PartitionKey("p2")] },
            StartedTimestamp = 0, Log = Serilog.Core.Logger.None,
        };

        var result = await new MaterializeStep(graph, _lake.Resources, _lake.Clock).RunAsync(step, CancellationToken.None);

        Assert.Same(MaterializeResult.Empty, result.Output);
        Assert.Equal(("r", new AssetKey("t/a"), "p2", 3), (seen!.RunId, seen.AssetKey, seen.Partition!.Value, seen.Attempt));
        Assert.Equal([new AssetKey("t/a"), new AssetKey("t/b")], seen.AssetKeys);
        Assert.Equal(["p2"], seen.UpstreamPartitions[raw.Key].Select(p => p.Value));
        Assert.Equal(["export.csv"], files.Select(f => f.Name));
        Assert.Same(_lake.Clock, seen.Clock);
    }

    private sealed class Computation(Func<AssetExecutionContext, CancellationToken, Task<MaterializeResult>> run) : IAsset
    {
        public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }
}
