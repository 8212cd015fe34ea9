using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Microsoft.Extensions.Time.Testing;
using TmLakehouse.Assets.Models;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>
/// A real lake for SQL models: local buckets and a SQLite Iceberg catalog in a temp folder (DuckDB reads the data files the
/// catalog lists), in-memory partition keys, a fake clock, and a models folder the test may copy and change.
/// </summary>
internal sealed class ModelLake : IDisposable
{
    private readonly TestLake _lake;

    public ModelLake(IObjectStoreProvider? objects = null) =>
        _lake = new TestLake(objects, lake => TableCatalogs.Sqlite(Path.Combine(lake.Home, "catalog.db"), lake.Objects, TimeProvider.System));

    public string Home => _lake.Home;
    public IObjectStoreProvider Objects => _lake.Objects;
    public ITableCatalog Tables => _lake.Catalog;
    public InMemoryDynamicPartitionStore Partitions => _lake.Partitions;

    /// <summary>The repository's models folder.</summary>
    public static string RepositoryModels { get; } = Path.Combine(RepositoryRoot(), "models");

    /// <summary>The folder holding TmLakehouse.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No TmLakehouse.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A copy of the repository's models under the home, for a test to add or break files.</summary>
    public string CopyModels()
    {
        var target = Path.Combine(Home, "models");
        foreach (var file in Directory.EnumerateFiles(RepositoryModels, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(RepositoryModels, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    public AssetExecutionContext Context(AssetKey asset, string? partition, string runId = "run-1") => _lake.Context(asset, partition, runId);

    /// <summary>Materializes one model of the folder for a course, as its step would.</summary>
    public async Task<MaterializeResult> MaterializeAsync(string modelsFolder, string asset, string course)
    {
        var definition = Definitions.All(modelsFolder).Single(d => d.Key.Value == asset);
        return await definition.Compute.MaterializeAsync(Context(definition.Key, $"{course}"), CancellationToken.None);
    }

    public async Task<List<Dictionary<string, object?>>> RowsAsync(string table, string course)
    {
        var id = SqlModelText.ParseTableName(table)!;
        var lake = await Tables.LoadAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no table {table}");
        return await InMemoryTableCatalog.ReadRowsAsync(lake, new TableScan { Filter = RowFilter.Where(("course_id", course)) });
    }

    public void Dispose() => _lake.Dispose();
}
