using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Orchestrator.Tests.Support;
using TmLakehouse.Assets.Landing;
using TmLakehouse.Assets.SampleData;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 12's done-when, embedded, as a user sees it: with `tmlake serve` running, copying an export and then its ingest_rounds
/// manifest into lake/tm-landing/ makes Bronze, Silver and Gold for the course appear with no command typed (the sensor lands, automation
/// follows); the same manifest copied again launches nothing (a recorded skip); a manifest with a path outside its batch or a missing
/// file gives a failed tick naming it and a report, and nothing else.
/// </summary>
public sealed class ManifestServeEndToEndTests : IDisposable
{
    private const string Course = "erinhills";
    private const string Partition = "course_id=erinhills,ingest_date=2025-06-01";
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    private string Landing => _home.Bucket("tm-landing");

    [Fact]
    public async Task CopyingAnExportThenItsManifest_BringsBronzeSilverAndGold_TheSameManifestAgainIsASkip_AndABadOneOnlyFailsATick()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var export = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_home.Path, "exports"), Courses = [Course], RoundsPerCourse = 30, FilesPerCourse = 1, IngestDate = new DateOnly(2025, 6, 1),
        }).Files.Single().Path;
        var name = Path.GetFileName(export);
        var manifest = Path.Combine(_home.Path, "e1.json");
        await File.WriteAllTextAsync(manifest, $$$"""{"batch_id": "e1", "uploader": "ops", "intent": "ingest_rounds", "files": [{"path": "e1/{{{name}}}", "type": "rounds"}], "metadata": {"course_id": "{{{Course}}}", "ingest_date": "2025-06-01"}}""");

        using var serve = await ServeAsync(deadline.Token);
        Directory.CreateDirectory(Path.Combine(Landing, "e1"));
        Directory.CreateDirectory(Path.Combine(Landing, "manifests"));
        var copied = Stopwatch.StartNew();
        File.Copy(export, Path.Combine(Landing, "e1", name));
        File.Copy(manifest, Path.Combine(Landing, "manifests", "e1.json"));

        await WaitUntilAsync(async () => await CountAsync("gold/fact_rounds", Course) > 0, serve, TimeSpan.FromMinutes(4), deadline.Token);
        var seconds = copied.Elapsed.TotalSeconds;
        var ledger = JsonDocument.Parse(await _home.OkAsync("ledger", "--batch", "e1", "--json")).RootElement;
        var row = Assert.Single(Rows(ledger));
        Assert.StartsWith($"course_id={Course}/ingest_date=2025-06-01/", row.GetProperty("key").GetString());
        Assert.True(File.Exists(Path.Combine(_home.Bucket("tm-bronze"), $"course_id={Course}", "ingest_date=2025-06-01", name)));
        Assert.True(await CountAsync("silver/fact_telemetry_event", Partition) > 0);
        Console.WriteLine($"export + manifest copied → Gold for {Course} after {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s (load: {File.ReadAllText("/proc/loadavg").Trim()})");
        var runsBefore = await RunCountAsync();

        // The same manifest again: a new upload, read again, and a recorded skip.
        var skipsBefore = await TicksAsync();
        File.Copy(manifest, Path.Combine(Landing, "manifests", "e1.json"), overwrite: true);
        File.SetLastWriteTimeUtc(Path.Combine(Landing, "manifests", "e1.json"), DateTime.UtcNow.AddSeconds(1));
        await WaitUntilAsync(async () => (await TicksAsync()).Any(t => t.Id > skipsBefore.Select(s => s.Id).DefaultIfEmpty().Max() && t.Skips.Any(s => s.StartsWith("e1:", StringComparison.Ordinal))),
            serve, TimeSpan.FromMinutes(2), deadline.Token);

        // A manifest with a path outside its batch, and one naming a missing file.
        await File.WriteAllTextAsync(Path.Combine(Landing, "manifests", "e2.json"), $$$"""{"batch_id": "e2", "uploader": "ops", "intent": "ingest_rounds", "files": [{"path": "e1/{{{name}}}", "type": "rounds"}], "metadata": {"course_id": "{{{Course}}}"}}""");
        await File.WriteAllTextAsync(Path.Combine(Landing, "manifests", "e3.json"), $$$"""{"batch_id": "e3", "uploader": "ops", "intent": "ingest_rounds", "files": [{"path": "e3/{{{name}}}", "type": "rounds"}], "metadata": {"course_id": "{{{Course}}}"}}""");
        SensorTick? failed = null;
        await WaitUntilAsync(async () => (failed = (await TicksAsync()).FirstOrDefault(t => t.Status == "failed" && t.Reason!.Contains("manifests/e3.json", StringComparison.Ordinal))) is not null,
            serve, TimeSpan.FromMinutes(2), deadline.Token);
        Assert.Contains($"manifests/e2.json: files[0].path: 'e1/{name}' is outside its batch: it must start with 'e2/'", failed!.Reason);
        Assert.Contains($"manifests/e3.json: files[0].path: e3/{name} does not exist in the landing bucket", failed.Reason);
        Assert.Empty(failed.RunIds);
        foreach (var batch in new[] { "e2", "e3" })
            Assert.Single(Directory.GetFiles(Path.Combine(_home.Bucket("tm-quarantine"), "landing", $"batch_id={batch}"), "report.json", SearchOption.AllDirectories));
        Assert.Empty(Rows(JsonDocument.Parse(await _home.OkAsync("ledger", "--batch", "e2", "--json")).RootElement));
        Assert.Empty(Rows(JsonDocument.Parse(await _home.OkAsync("ledger", "--batch", "e3", "--json")).RootElement));
        // Nothing launched by the skip or the failure; automation has nothing new to follow.
        Assert.Equal(runsBefore, await RunCountAsync());
        var sensors = await _home.OkAsync("sensors");
        Assert.Contains(ManifestSensor.Name, sensors);
    }

    private sealed record SensorTick(long Id, string Status, string[] RunIds, string[] Skips, string? Reason);

    private async Task<List<SensorTick>> TicksAsync()
    {
        var view = JsonDocument.Parse(await _home.OkAsync("sensors", "show", ManifestSensor.Name, "--json")).RootElement;
        return view.GetProperty("ticks").EnumerateArray().Select(t => new SensorTick(t.GetProperty("id").GetInt64(), t.GetProperty("status").GetString()!,
            t.GetProperty("runIds").EnumerateArray().Select(r => r.GetString()!).ToArray(), t.GetProperty("skips").EnumerateArray().Select(r => r.GetString()!).ToArray(),
            t.GetProperty("reason").GetString())).ToList();
    }

    private static IEnumerable<JsonElement> Rows(JsonElement ledger) =>
        ledger.ValueKind == JsonValueKind.Array ? ledger.EnumerateArray() : ledger.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value.EnumerateArray();

    private async Task<int> RunCountAsync() =>
        JsonDocument.Parse(await _home.OkAsync("runs", "--json", "--limit", "1000")).RootElement.GetProperty("runs").GetArrayLength();

    /// <summary>`preview ASSET --count -p P`, or null while the table is not there yet.</summary>
    private async Task<long?> CountAsync(string asset, string partition)
    {
        var result = await _home.RunAsync("preview", asset, "--count", "-p", partition);
        return result.Exit == 0 && long.TryParse(result.Out.Trim(), CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, WorkerProcess serve, TimeSpan patience, CancellationToken deadline)
    {
        var until = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > until || serve.HasExited)
                throw new Xunit.Sdk.XunitException($"not reached within {patience}; serve log (last 80 lines):\n{string.Join("\n", serve.Log().Split('\n').TakeLast(80))}");
            await Task.Delay(1000, deadline);
        }
    }

    private async Task<WorkerProcess> ServeAsync(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = WorkerProcess.StartCommand(await TmlakeBuild.DllAsync(), ["serve", "--port", port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["TM_HOME"] = _home.Path }, Path.Combine(_home.Path, "serve.log"));
        using var client = new HttpClient();
        await WaitUntilAsync(async () =>
        {
            try { return (await client.GetAsync($"http://127.0.0.1:{port}/api/sensors", cancellationToken)).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, process, TimeSpan.FromMinutes(2), cancellationToken);
        return process;
    }
}
