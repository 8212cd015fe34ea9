using Lakehouse.Core.Objects;
using TestSupport;

namespace TmLakehouse.Assets.Tests.Models;

[CollectionDefinition(Name)]
public sealed class AssetsS3Collection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "assets-s3";
}

/// <summary>SQL models on S3 (s3rver): Silver's live files are staged for DuckDB, the model's table is written to the gold bucket.</summary>
[Collection(AssetsS3Collection.Name)]
public sealed class SqlModelsOnS3Tests(S3ServerFixture s3) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }

    [Fact]
    public async Task FactRoundsAndADependentModel_RunOverS3_AndWriteTheirTablesThere()
    {
        var objects = new S3ObjectStoreProvider(s3.NewOptions());
        _owned.Add(objects);
        var lake = new ModelLake(objects);
        _owned.Add(lake);
        var noon = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await SilverFix.WriteAsync(lake.Tables, [Enumerable.Range(0, 40).Select(i => new SilverFix($"r{i % 4}", i / 4, noon.AddMinutes(i)) { Battery = i, Hole = 1 + i % 3 })]);

        await lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/fact_rounds", "erinhills");
        var result = await lake.MaterializeAsync(ModelLake.RepositoryModels, "gold/device_health_errors", "erinhills");

        var rounds = await lake.RowsAsync("gold.fact_rounds", "erinhills");
        Assert.Equal(["r0", "r1", "r2", "r3"], rounds.Select(r => (string)r["round_id"]!).Order(StringComparer.Ordinal));
        Assert.All(rounds, r => Assert.Equal(10L, r["fix_count"]));
        Assert.Equal(20, (await lake.RowsAsync("gold.device_health_errors", "erinhills")).Count);
        Assert.Equal("20", result.Metadata["rows_out"].Display());
        var table = (await lake.Tables.LoadAsync(new Lakehouse.Core.Tables.TableIdentifier("gold", "device_health_errors"), CancellationToken.None))!;
        Assert.All(await table.FilesAsync(null, CancellationToken.None), f => Assert.StartsWith("s3://", f.Path));
    }
}
