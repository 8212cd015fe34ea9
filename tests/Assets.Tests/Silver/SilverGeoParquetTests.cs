using System.Text.Json;
using DuckDB.NET.Data;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Microsoft.Extensions.Time.Testing;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

/// <summary>Silver fact_telemetry_event files are GeoParquet 1.1, as DuckDB (an independent reader) sees them.</summary>
public sealed class SilverGeoParquetTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("silver-geo-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task TelemetryFiles_CarryGeoMetadata_WhoseBboxIsTheFilesLonLatRange_AndACoveringColumnPerFix()
    {
        var options = new LakehouseOptions { Home = _home };
        var objects = new LocalObjectStoreProvider(options);
        var catalog = TableCatalogs.Sqlite(Path.Combine(_home, "catalog.db"), objects, TimeProvider.System);
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_home, "samples"), Courses = ["erinhills"], RoundsPerCourse = 20, Seed = 5,
        });
        foreach (var file in manifest.Files)
            await objects.For(Layers.Bronze).PutFileAsync($"course_id=erinhills/ingest_date=2025-06-01/{file.FileName}", file.Path, null, default);
        var partition = new PartitionKey("course_id=erinhills,ingest_date=2025-06-01");
        await new SilverTelemetryAsset().MaterializeAsync(new AssetExecutionContext
        {
            RunId = "run-geo",
            AssetKey = SilverTelemetryAsset.Key,
            AssetKeys = SilverTelemetryAsset.Definition.Keys,
            Partition = partition,
            Inputs = new AssetInputs(objects, [(BronzeRoundsRawAsset.Definition.Spec, [partition])]),
            Log = Serilog.Core.Logger.None,
            Clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 6, 0, 0, TimeSpan.Zero)),
            Resources = new LakehouseResources(options, catalog, objects, new LakehouseInstance(null!, null!, null!, null!, null!)),
        }, CancellationToken.None);

        var table = (await catalog.LoadAsync(SilverTables.TelemetryEvent.Id, default))!;
        var files = await table.FilesAsync(null, default);
        Assert.NotEmpty(files);
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        foreach (var path in files.Select(f => new Uri(f.Path).LocalPath))
        {
            var geo = JsonDocument.Parse(await ScalarAsync<string>(connection,
                $"SELECT decode(value) FROM parquet_kv_metadata('{path}') WHERE decode(key) = 'geo'")).RootElement;
            var column = geo.GetProperty("columns").GetProperty("geometry");
            Assert.Equal("1.1.0", geo.GetProperty("version").GetString());
            Assert.Equal(["Point"], column.GetProperty("geometry_types").EnumerateArray().Select(t => t.GetString()));
            var bbox = column.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var range = await ScalarAsync<string>(connection,
                $"SELECT concat_ws(',', min(longitude), min(latitude), max(longitude), max(latitude)) FROM read_parquet('{path}')");
            Assert.Equal(range, string.Join(',', bbox.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
            var mismatched = await ScalarAsync<long>(connection,
                $"SELECT count(*) FROM read_parquet('{path}') WHERE (longitude IS NULL) <> (bbox IS NULL) OR bbox.xmin <> longitude OR bbox.ymax <> latitude");
            Assert.Equal(0, mismatched);
        }
    }

    private static async Task<T> ScalarAsync<T>(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
