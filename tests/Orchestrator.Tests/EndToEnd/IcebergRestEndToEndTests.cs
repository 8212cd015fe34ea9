using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 14 as a user checks it: iceberg-js (npm, an independent REST client) attaches to a running `tmlake serve`, icebird
/// reads through the metadata location it returned, and REST commits racing a `tmlake materialize` all land.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class IcebergRestEndToEndTests(ErinDemo demo) : IClassFixture<ErinDemo>
{
    private const string Table = "fact_telemetry_event";
    private TmlakeHome Home => demo.Home;

    [Fact]
    public async Task IcebergJs_ListsAndLoadsSilver_AndIcebirdReadsTotalRecordsRows_ThroughTheReturnedMetadataLocation()
    {
        using var serve = await ServeAsync();

        var described = await LakeReaders.IcebergJsAsync(serve.Url, "-", "describe", "silver", Table);

        Assert.Equal(["gold", "silver"], described.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()!).Order());
        var silverTables = described.GetProperty("tables").GetProperty("silver").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["silver.fact_device_health", "silver.fact_telemetry_event"], silverTables);
        Assert.Contains("gold.fact_rounds", described.GetProperty("tables").GetProperty("gold").EnumerateArray().Select(t => t.GetString()));
        var history = await Home.OkAsync("table", "history", "silver." + Table);
        var currentLine = history.Split('\n').Single(l => l.TrimEnd().EndsWith('*'));
        Assert.StartsWith(described.GetProperty("currentSnapshotId").GetString()!, currentLine);
        var totalRecords = long.Parse(described.GetProperty("totalRecords").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(totalRecords > 1000, $"the demo's Silver table has only {totalRecords} rows");

        var rows = await LakeReaders.IcebirdRowsAsync(described.GetProperty("location").GetString()!, described.GetProperty("metadataLocation").GetString()!);

        Assert.Equal(totalRecords, rows.Length);
        Assert.Equal(totalRecords, await Home.CountAsync("silver/" + Table));
    }

    [Fact]
    public async Task RestCommits_AndAMaterializeOfTheSameTable_AtTheSameTime_AllLand()
    {
        using var serve = await ServeAsync();
        var before = await LakeReaders.IcebergJsAsync(serve.Url, "-", "describe", "silver", Table);
        const int commits = 12;

        var restTask = LakeReaders.IcebergJsAsync(serve.Url, "-", "commit-properties", "silver", Table, commits.ToString(CultureInfo.InvariantCulture), "test.rest.");
        var materializeTask = Home.RunAsync("materialize", "-s", "silver/" + Table, "-p", DemoLake.PartitionOf("erinhills"));
        var rest = await restTask;
        var materialize = await materializeTask;

        Assert.True(materialize.Exit == 0, materialize.ToString());
        Assert.Equal(commits, rest.GetProperty("committed").GetInt32());
        var after = await LakeReaders.IcebergJsAsync(serve.Url, "-", "describe", "silver", Table);
        // Every REST commit is in the metadata (those that met a 409 reloaded and retried) ...
        var properties = after.GetProperty("properties");
        for (var i = 0; i < commits; i++) Assert.Equal(i.ToString(CultureInfo.InvariantCulture), properties.GetProperty($"test.rest.{i}").GetString());
        // ... and so is the materialization: a new current snapshot replacing the partition with the same rows, from that run.
        Assert.NotEqual(before.GetProperty("currentSnapshotId").GetString(), after.GetProperty("currentSnapshotId").GetString());
        var summary = after.GetProperty("summary");
        Assert.Equal("overwrite", summary.GetProperty("operation").GetString());
        Assert.Equal("silver/" + Table, summary.GetProperty("tm.asset").GetString());
        Assert.Equal(DemoLake.PartitionOf("erinhills"), summary.GetProperty("tm.partition").GetString());
        Assert.Matches(@"^\w+$", summary.GetProperty("tm.run-id").GetString()!);
        Assert.Equal(before.GetProperty("totalRecords").GetString(), after.GetProperty("totalRecords").GetString());
        var rows = await LakeReaders.IcebirdRowsAsync(after.GetProperty("location").GetString()!, after.GetProperty("metadataLocation").GetString()!);
        Assert.Equal(long.Parse(after.GetProperty("totalRecords").GetString()!, CultureInfo.InvariantCulture), rows.Length);
    }

    [Fact]
    public async Task Query_CountsTheSnapshotsTotalRecords_AfterTwoRematerializations_WhereTheDataFolderHoldsMore()
    {
        await Home.OkAsync("materialize", "-s", "silver/" + Table, "-p", DemoLake.PartitionOf("erinhills"));
        await Home.OkAsync("materialize", "-s", "silver/" + Table, "-p", DemoLake.PartitionOf("erinhills"));

        var csv = (await Home.OkAsync("query", "select count(*) as n from silver.fact_telemetry_event", "--format", "csv")).Split('\n', StringSplitOptions.TrimEntries);
        var json = await Home.OkAsync("query", "SELECT count(*) AS n FROM \"silver\".\"fact_telemetry_event\"", "--format", "json");

        var current = (await Home.OkAsync("table", "history", "silver." + Table)).Split('\n').Single(l => l.TrimEnd().EndsWith('*'))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var totalRecords = long.Parse(current[^3], CultureInfo.InvariantCulture);
        Assert.Equal("n", csv[0]);
        Assert.Equal(totalRecords, long.Parse(csv[1], CultureInfo.InvariantCulture));
        Assert.Equal($"[{{\"n\":{totalRecords}}}]", json.Trim());
        // The replaced snapshots' files are still in the table folder: a glob over data/ counts them too.
        var onDisk = Directory.GetFiles(Path.Combine(Home.Bucket("tm-silver"), Table, "data"), "*.parquet", SearchOption.AllDirectories);
        Assert.True(await LakeReaders.DuckDbScalarAsync(onDisk, "SELECT count(*) FROM t") >= 3 * totalRecords,
            "two re-materializations should leave the two replaced copies of the partition on disk");
    }

    [Fact]
    public async Task Query_WithAMistake_PrintsOneErrorLine_AndExits2()
    {
        var badColumn = await Home.RunAsync("query", "select no_such_column from silver.fact_telemetry_event");
        var badSnapshot = await Home.RunAsync("query", "select 1", "--snapshot", "silver.fact_telemetry_event=42");
        var bareSnapshot = await Home.RunAsync("query", "select 1", "--snapshot", "42");

        foreach (var result in new[] { badColumn, badSnapshot, bareSnapshot })
        {
            Assert.Equal(2, result.Exit);
            Assert.StartsWith("error: ", Assert.Single(result.ErrorLines));
        }
        Assert.Contains("no_such_column", badColumn.Error);
        Assert.Contains("has no snapshot 42", badSnapshot.Error);
        Assert.Contains("TABLE=ID", bareSnapshot.Error);
    }

    private async Task<ServeProcess> ServeAsync()
    {
        var port = FreePort();
        var log = Path.Combine(Home.Path, $"serve-{port}.log");
        var process = WorkerProcess.StartCommand(await TmlakeBuild.DllAsync(), ["serve", "--port", port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["TM_HOME"] = Home.Path }, log);
        var serve = new ServeProcess(process, $"http://127.0.0.1:{port}/iceberg");
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                using var config = JsonDocument.Parse(await client.GetStringAsync(serve.Url + "/v1/config"));
                Assert.Contains("POST /v1/{prefix}/transactions/commit", config.RootElement.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
                return serve;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(250);
            }
            catch
            {
                serve.Dispose();
                throw new InvalidOperationException($"tmlake serve did not answer:\n{process.Log()}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record ServeProcess(WorkerProcess Process, string Url) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }
}

/// <summary>A demo over erinhills alone.</summary>
public sealed class ErinDemo : DemoLake
{
    public override IReadOnlyList<string> Courses { get; } = ["erinhills"];
}
