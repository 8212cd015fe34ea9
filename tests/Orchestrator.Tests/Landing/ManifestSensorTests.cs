using System.Text;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Landing;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Landing;

/// <summary>
/// The landing-zone manifest sensor over a real landing bucket (a local folder, and S3 on s3rver): a valid ingest_rounds manifest
/// lands its export in Bronze through BronzeLanding (ledger row with the batch, a verifying run), the same manifest uploaded again is
/// a recorded skip, and invalid manifests fail the tick naming the field or file, leave a report and nothing else.
/// </summary>
public abstract class ManifestSensorTests : IDisposable
{
    private static readonly DateOnly IngestDate = new(2025, 6, 1);
    private readonly TempHome _home = new();

    protected string Home => _home.Path;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Dispose();
    }

    protected abstract Task<LakehouseOptions> OptionsAsync();

    private async Task<LakehouseRuntime> OpenAsync() =>
        await LakehouseRuntime.OpenAsync(await OptionsAsync(), Definitions.All(null), RuntimeRole.Workers(1), new LoggerConfiguration().CreateLogger(),
            sensors: Definitions.Sensors());

    private static async Task<SensorTick> TickAsync(LakehouseRuntime runtime)
    {
        var evaluation = await runtime.Sensors.EvaluateAsync(runtime.Sensors.Catalog.Get(ManifestSensor.Name), dryRun: false, CancellationToken.None);
        return evaluation.Tick ?? throw new Xunit.Sdk.XunitException($"no tick: {evaluation.NotEvaluated}");
    }

    private static async Task PutAsync(LakehouseRuntime runtime, string key, string text)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await runtime.Resources.Objects.For(Layers.Landing).PutAsync(key, content, null, CancellationToken.None);
    }

    private string Export()
    {
        var export = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(Home, "exports"),
            Courses = ["erinhills"],
            RoundsPerCourse = 20,
            FilesPerCourse = 1,
            IngestDate = IngestDate,
        }).Files.Single();
        return export.Path;
    }

    private static string RoundsManifest(string batchId, params string[] paths)
    {
        var files = string.Join(",", paths.Select(p => "{\"path\": \"" + p + "\", \"type\": \"rounds\"}"));
        return "{\"batch_id\": \"" + batchId + "\", \"uploader\": \"ops\", \"intent\": \"ingest_rounds\", \"files\": [" + files +
               "], \"metadata\": {\"course_id\": \"erinhills\", \"ingest_date\": \"2025-06-01\", \"project\": \"ALPHA\"}}";
    }

    [Fact]
    public async Task AValidManifest_LandsItsExportInBronzeOnce_AndTheSameManifestAgainIsARecordedSkip()
    {
        await using var runtime = await OpenAsync();
        var export = Export();
        var name = Path.GetFileName(export);
        await runtime.Resources.Objects.For(Layers.Landing).PutFileAsync($"b1/{name}", export, null, CancellationToken.None);
        var manifest = RoundsManifest("b1", $"b1/{name}");
        await PutAsync(runtime, "manifests/b1.json", manifest);

        var first = await TickAsync(runtime);

        Assert.True(first.Status == SensorTickStatus.Launched, first.Reason);
        var runId = Assert.Single(first.RunIds);
        var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(100), new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(BronzeRoundsRawAsset.Key.Value, run.Selection);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
        Assert.Equal(($"b1:{sha}", "b1", sha), (run.Tags["run_key"], run.Tags[ManifestTags.BatchId], run.Tags[ManifestTags.ManifestSha256]));

        var row = Assert.Single(await runtime.Instance.Ledger.QueryAsync(new LedgerQuery(), CancellationToken.None));
        Assert.Equal((Layers.Bronze, $"course_id=erinhills/ingest_date=2025-06-01/{name}", "b1", "ops", "ingest_rounds", runId),
            (row.Layer, row.Key, row.BatchId, row.Uploader, row.Intent, row.RunId));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(export))), row.Sha256);
        Assert.Contains("\"project\": \"ALPHA\"", row.Metadata);
        Assert.NotNull(await runtime.Resources.Objects.For(Layers.Bronze).StatAsync(row.Key, CancellationToken.None));

        // Re-uploaded with the same bytes: read again (it is a new upload), and its run key is a recorded skip. S3 keeps whole seconds.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await PutAsync(runtime, "manifests/b1.json", manifest);
        var again = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Skipped, again.Status);
        Assert.Empty(again.RunIds);
        Assert.Contains(again.Skips, s => s.StartsWith($"b1:{sha}: already requested (run {runId})", StringComparison.Ordinal));
        Assert.Single(await runtime.Instance.Ledger.QueryAsync(new LedgerQuery(), CancellationToken.None));
        Assert.Single(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));

        // Nothing new: the cursor says so without reading the manifest again.
        var quiet = await TickAsync(runtime);
        Assert.Equal((SensorTickStatus.Skipped, "no new or re-uploaded manifest"), (quiet.Status, quiet.Reason));
    }

    [Fact]
    public async Task InvalidManifests_FailTheTickNamingTheFieldOrFile_WithAReport_AndNothingElse()
    {
        await using var runtime = await OpenAsync();
        var export = Export();
        var name = Path.GetFileName(export);
        var landing = runtime.Resources.Objects.For(Layers.Landing);
        await landing.PutFileAsync($"other/{name}", export, null, CancellationToken.None);
        await landing.PutFileAsync($"b4/{name}", export, null, CancellationToken.None);
        await PutAsync(runtime, "b5/empty.csv", "");
        await PutAsync(runtime, "manifests/b2.json", RoundsManifest("b2", $"other/{name}"));
        await PutAsync(runtime, "manifests/b3.json", RoundsManifest("b3", "b3/missing.csv"));
        await PutAsync(runtime, "manifests/b4.json", "{\"batch_id\": \"b4\", \"files\": [");
        await PutAsync(runtime, "manifests/b5.json", """{"batch_id": "b5", "intent": "ingest_rounds", "files": [{"path": "b5/empty.csv", "type": "csv"}, {"path": "b5/../../etc/passwd", "type": "rounds"}, {"path": "s3://elsewhere/b5/x.csv", "type": "rounds"}], "metadata": {"course_id": "erin hills"}}""");
        await PutAsync(runtime, "manifests/b6.json", RoundsManifest("b7", $"b4/{name}"));

        var tick = await TickAsync(runtime);

        Assert.Equal(SensorTickStatus.Failed, tick.Status);
        Assert.Empty(tick.RunIds);
        var reason = tick.Reason!;
        Assert.Contains($"manifests/b2.json: files[0].path: 'other/{name}' is outside its batch: it must start with 'b2/'", reason);
        Assert.Contains("manifests/b3.json: files[0].path: b3/missing.csv does not exist in the landing bucket", reason);
        Assert.Contains("manifests/b4.json: not valid JSON", reason);
        Assert.Contains("manifests/b5.json: uploader: required", reason);
        Assert.Contains("files[0].type: 'csv' is not one of rounds, vector, raster", reason);
        Assert.Contains("files[0].path: b5/empty.csv is empty (size 0)", reason);
        Assert.Contains("files[1].path: 'b5/../../etc/passwd' has an empty, '.' or '..' segment", reason);
        Assert.Contains("files[2].path: 's3://elsewhere/b5/x.csv' names another bucket", reason);
        Assert.Contains("metadata.course_id: 'erin hills' is not a valid course id", reason);
        Assert.Contains("manifests/b6.json: batch_id: 'b7' differs from the manifest's file name", reason);

        var reports = new QuarantineWriter(runtime.Resources.Objects);
        foreach (var batch in new[] { "b2", "b3", "b4", "b5", "b6" })
        {
            var key = Assert.Single(await reports.ListReportKeysAsync($"landing/batch_id={batch}/", CancellationToken.None));
            await using var stream = await runtime.Resources.Objects.For(Layers.Quarantine).OpenReadAsync(key, CancellationToken.None);
            var report = await System.Text.Json.JsonSerializer.DeserializeAsync<QuarantineReport>(stream);
            Assert.Contains($"manifests/{batch}.json", report!.Error);
            Assert.Equal([$"manifests/{batch}.json"], report.InputPaths);
        }
        Assert.Empty(await runtime.Instance.Ledger.QueryAsync(new LedgerQuery(), CancellationToken.None));
        Assert.Empty(await runtime.Instance.Runs.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Empty(await ToListAsync(runtime.Resources.Objects.For(Layers.Bronze).ListAsync("", CancellationToken.None)));

        // A refused manifest fails one tick, not every tick; a corrected upload is read again and lands.
        var next = await TickAsync(runtime);
        Assert.Equal(SensorTickStatus.Skipped, next.Status);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await landing.PutFileAsync($"b2/{name}", export, null, CancellationToken.None);
        await PutAsync(runtime, "manifests/b2.json", RoundsManifest("b2", $"b2/{name}"));
        var corrected = await TickAsync(runtime);
        Assert.True(corrected.Status == SensorTickStatus.Launched, corrected.Reason);
        Assert.Single(corrected.RunIds);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}

public sealed class LocalManifestSensorTests : ManifestSensorTests
{
    protected override Task<LakehouseOptions> OptionsAsync() => Task.FromResult(new LakehouseOptions { Home = Home, Workers = 1 });
}

public sealed class S3ManifestSensorTests(S3ServerFixture s3) : ManifestSensorTests, IClassFixture<S3ServerFixture>
{
    protected override Task<LakehouseOptions> OptionsAsync() => Task.FromResult(s3.NewOptions() with { Home = Home, Workers = 1 });
}
