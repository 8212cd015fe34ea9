using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;
using Microsoft.Extensions.Time.Testing;

namespace TmLakehouse.Assets.Tests.Fakes;

/// <summary>
/// Resources for asset tests: local buckets in a temp folder, an in-memory table catalog, ledger and partition keys, a fake clock.
/// Deletes the folder when disposed.
/// </summary>
internal sealed class TestLake : IDisposable
{
    /// <param name="objects">The buckets (default: folders under the temp home).</param>
    /// <param name="catalog">The table catalog the assets see, made from this lake (default: the in-memory <see cref="Tables"/>).</param>
    public TestLake(IObjectStoreProvider? objects = null, Func<TestLake, ITableCatalog>? catalog = null)
    {
        Home = Path.Combine(Path.GetTempPath(), $"tm-assets-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Home);
        Options = new LakehouseOptions { Home = Home };
        Objects = objects ?? new LocalObjectStoreProvider(Options);
        // Runs, events and scheduling are not touched by the assets under test; null makes any use fail loudly.
        Instance = new LakehouseInstance(null!, null!, Partitions, null!, Ledger);
        Catalog = catalog?.Invoke(this) ?? Tables;
        Resources = new LakehouseResources(Options, Catalog, Objects, Instance);
    }

    public string Home { get; }
    public LakehouseOptions Options { get; }
    public IObjectStoreProvider Objects { get; }
    public InMemoryLedgerStore Ledger { get; } = new();
    public InMemoryDynamicPartitionStore Partitions { get; } = new();
    public InMemoryTableCatalog Tables { get; } = new();
    /// <summary>The catalog in <see cref="Resources"/>: <see cref="Tables"/> unless the constructor was given another.</summary>
    public ITableCatalog Catalog { get; }
    public LakehouseInstance Instance { get; }
    public LakehouseResources Resources { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 1, 10, 30, 0, TimeSpan.Zero));

    public IObjectStore Bronze => Objects.For(Layers.Bronze);
    public IObjectStore Quarantine => Objects.For(Layers.Quarantine);

    /// <summary>A file of the given text in the temp folder.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Home, "incoming", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public AssetExecutionContext Context(AssetKey asset, string? partition, string runId = "run-1", Serilog.ILogger? log = null) => new()
    {
        RunId = runId,
        AssetKey = asset,
        Partition = partition is null ? null : new PartitionKey(partition),
        Log = log ?? Serilog.Core.Logger.None,
        Clock = Clock,
        Resources = Resources,
    };

    public async Task<List<string>> KeysAsync(IObjectStore store, string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync(prefix, CancellationToken.None)) keys.Add(info.Key);
        return keys;
    }

    public void Dispose()
    {
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
