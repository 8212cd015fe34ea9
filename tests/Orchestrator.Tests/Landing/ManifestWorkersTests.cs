using System.Text;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Npgsql;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Landing;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Sensors;

namespace Orchestrator.Tests.Landing;

/// <summary>
/// The manifest sensor in the production shape: PostgreSQL, s3rver and two `tmlake worker` processes ticking it. Each manifest is
/// ingested exactly once (one run per run key, one ledger row and one Bronze object per export), also when the worker holding the
/// sensor's lease is killed with SIGKILL in the middle of a tick: the lease it leaves ends within its 15 s (renewed while it
/// evaluated), the other worker's ticks leave the sensor alone until then and its next tick takes over. Silver follows each Bronze
/// partition exactly once through automation (one materialization, its rows once in the table) and the automated assets reading
/// Silver follow it, never one step in two runs at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ManifestWorkersTests(PostgresServerFixture postgres, S3ServerFixture s3) : IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly TempHome _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TwoWorkers_IngestEachManifestOnce_AlsoWhenTheOneTickingIsKilledMidTick()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var dll = await TmlakeBuild.DllAsync().WaitAsync(deadline.Token);
        var database = await postgres.CreateDatabaseAsync();
        var envFile = WriteEnvFile(database);
        var started = System.Diagnostics.Stopwatch.StartNew();
        string Elapsed() => $"{started.Elapsed.TotalSeconds:0} s";
        var options = LakehouseConfiguration.Load(envFile, new Dictionary<string, string>(), _folder.Path).Options;
        await using var client = await LakehouseRuntime.OpenAsync(options, Definitions.All(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(),
            cancellationToken: deadline.Token, sensors: Definitions.Sensors());
        var landing = client.Resources.Objects.For(Layers.Landing);

        using var first = WorkerProcess.Start(dll, envFile, workers: 2, Path.Combine(_folder.Path, "worker-1.log"));
        using var second = WorkerProcess.Start(dll, envFile, workers: 2, Path.Combine(_folder.Path, "worker-2.log"));
        var workers = new[] { first, second };
        await WaitForServersAsync(database, 2, deadline.Token);

        // Three batches while both workers tick.
        foreach (var day in Enumerable.Range(1, 3)) await UploadBatchAsync(landing, day, deadline.Token);
        await WaitForIngestedAsync(client, 3, workers, deadline.Token);

        // Three more, their files first; the worker that takes the tick is killed while it holds the sensor's lease.
        var days = Enumerable.Range(4, 3).ToList();
        foreach (var day in days) await UploadFilesAsync(landing, day, deadline.Token);
        foreach (var day in days) await PutAsync(landing, $"manifests/m{day}.json", ManifestOf(day), deadline.Token);
        var (holder, leaseUntil) = await WaitForLeaseHolderAsync(database, workers.Select(w => w.Id).ToHashSet(), deadline.Token);
        var victim = workers.Single(w => w.Id == holder);
        victim.KillHard();
        var killedAt = DateTimeOffset.UtcNow;
        Assert.True(victim.HasExited);
        var survivor = workers.Single(w => w != victim);
        // The lease a killed worker leaves runs out within its length of the last heartbeat (it was 2 minutes before the heartbeat).
        Assert.True(leaseUntil - killedAt <= ManifestSensor.Definition.Lease, $"the killed worker's lease ran until {leaseUntil:O}, killed at {killedAt:O}");

        await WaitForIngestedAsync(client, 6, [survivor], deadline.Token);
        Console.WriteLine($"6 manifests ingested {Elapsed()} after the workers started");
        // Until the dead worker's lease ran out the survivor's ticks left the sensor to it; its first tick after that took over.
        // The killed tick may already have launched its runs, so the ingest can finish before the lease ends: wait for that tick.
        var afterKill = await WaitForTakeoverAsync(client, killedAt, leaseUntil + TimeSpan.FromMinutes(1), deadline.Token);
        Assert.All(afterKill.Where(t => t.StartedAt < leaseUntil), t => Assert.True(Held(t), $"a tick at {t.StartedAt:O} evaluated while the killed worker's lease ran until {leaseUntil:O}"));
        var takeover = afterKill.Where(t => !Held(t)).MinBy(t => t.StartedAt);
        Assert.NotNull(takeover);
        Console.WriteLine($"manifest sensor taken over {(takeover.StartedAt - killedAt).TotalSeconds:0.0} s after the kill, {(takeover.StartedAt - leaseUntil).TotalSeconds:0.0} s after " +
                          $"its lease ended (lease {ManifestSensor.Definition.Lease.TotalSeconds:0} s, tick every {ManifestSensor.Definition.MinimumInterval.TotalSeconds:0} s; load: {File.ReadAllText("/proc/loadavg").Trim()})");
        // The survivor's next tick after the lease ended takes over: one interval, but its tick job queues behind the steps its two
        // Hangfire workers run (20 s at load 34), so the bound is a minute.
        Assert.True(takeover.StartedAt - leaseUntil <= TimeSpan.FromMinutes(1),
            $"the survivor took the sensor over at {takeover.StartedAt:O}, its lease ended at {leaseUntil:O}");

        var runs = (await client.Instance.Runs.ListRunsAsync(new RunQuery { Limit = 1000 }, deadline.Token)).Where(r => r.Tags.ContainsKey("run_key")).ToList();
        Assert.Equal(6, runs.Count);
        Assert.Equal(6, runs.Select(r => r.Tags["run_key"]).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        var ledger = await client.Instance.Ledger.QueryAsync(new LedgerQuery { Limit = 1000 }, deadline.Token);
        Assert.Equal(Enumerable.Range(1, 6).Select(d => $"m{d}"), ledger.Select(e => e.BatchId!).Order(StringComparer.Ordinal));
        Assert.All(ledger, e => Assert.Contains(runs, r => r.RunId == e.RunId));
        var objects = new List<ObjectInfo>();
        await foreach (var info in client.Resources.Objects.For(Layers.Bronze).ListAsync("", deadline.Token)) objects.Add(info);
        Assert.Equal(ledger.Select(e => e.Key).Order(StringComparer.Ordinal), objects.Select(o => o.Key).Order(StringComparer.Ordinal));

        // Silver and the assets downstream of it follow through automation, on the survivor.
        var partitions = Enumerable.Range(1, 6).Select(d => BronzePartitions.KeyOf("erinhills", new DateOnly(2025, 6, d))).ToList();
        var automation = await WaitForAutomationAsync(client, partitions, survivor, deadline.Token);
        Console.WriteLine($"automation settled {Elapsed()} after the workers started ({automation.Count} runs)");
        var silver = await client.Instance.Events.QueryAsync(new EventQuery { Asset = SilverTelemetryAsset.Key, Types = [EventType.Materialization], Limit = 1000 }, deadline.Token);
        Assert.Equal(partitions.Order(StringComparer.Ordinal), silver.Select(e => e.Step!.Partition!.Value).Order(StringComparer.Ordinal));
        await SilverRows.AssertEachPartitionOnceAsync(client, silver, partitions, deadline.Token);
        Assert.All(automation, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        var steps = new List<(StepKey Step, RunRecord Run)>();
        foreach (var run in automation)
            steps.AddRange((await client.Instance.Runs.GetStepsAsync(run.RunId, deadline.Token)).Select(step => (step.Key, run)));
        Assert.Equal(partitions.Order(StringComparer.Ordinal), steps.Where(s => s.Step.Asset == SilverTelemetryAsset.Key).Select(s => s.Step.Partition!.Value).Order(StringComparer.Ordinal));
        foreach (var group in steps.GroupBy(s => s.Step))
        {
            var ofStep = group.Select(g => g.Run).OrderBy(r => r.StartedAt).ToList();
            for (var i = 1; i < ofStep.Count; i++)
                Assert.True(ofStep[i].StartedAt >= ofStep[i - 1].EndedAt, $"{group.Key} ran in {ofStep[i - 1].RunId} and {ofStep[i].RunId} at once");
        }
        var downstream = client.Automation.AutomatedAssets.Where(a => a != SilverTelemetryAsset.Key && client.Graph.Parents(a).Contains(SilverTelemetryAsset.Key)).ToList();
        Assert.NotEmpty(downstream);
        var lastSilver = silver.Max(e => e.Timestamp);
        var statuses = await client.Instance.Events.GetAllStatusesAsync(deadline.Token);
        foreach (var asset in downstream)
            Assert.Contains(statuses, st => st.Asset == asset && st.LastMaterializedAt >= lastSilver);
        Assert.False(survivor.HasExited, survivor.Log());
    }

    /// <summary>
    /// Waits (at most 6 minutes) until every landed partition is in Silver, automation has nothing more to request, and every
    /// automation run has ended; returns those runs.
    /// </summary>
    private static async Task<List<RunRecord>> WaitForAutomationAsync(LakehouseRuntime client, IReadOnlyList<string> partitions, WorkerProcess worker, CancellationToken deadline)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        patience.CancelAfter(TimeSpan.FromMinutes(6));
        try
        {
            while (true)
            {
                var runs = (await client.Instance.Runs.ListRunsAsync(new RunQuery { Limit = 1000 }, patience.Token)).Where(r => r.Tags.ContainsKey("automation")).ToList();
                var silver = (await client.Instance.Events.GetPartitionStatusesAsync(SilverTelemetryAsset.Key, patience.Token))
                    .Where(st => st.State == MaterializationState.Materialized).Select(st => st.Partition!.Value).ToHashSet(StringComparer.Ordinal);
                var decisions = await client.Instance.Automation.GetDecisionsAsync(null, patience.Token);
                var tick = (await client.Instance.Automation.GetTicksAsync(1, patience.Token)).FirstOrDefault();
                if (partitions.All(silver.Contains) && runs.All(r => r.Status.IsFinal()) && decisions.All(d => !d.Requested)
                    && tick is not null && runs.All(r => tick.StartedAt > r.EndedAt))
                    return runs;
                await Task.Delay(500, patience.Token);
            }
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            var decisions = await client.Instance.Automation.GetDecisionsAsync(null, CancellationToken.None);
            throw new Xunit.Sdk.XunitException("Automation did not follow within 6 minutes.\ndecisions:\n" +
                string.Join("\n", decisions.Select(d => $"{d.Asset}[{d.Partition}] {d.Requested} {d.Reason}")) +
                $"\nworker {worker.Id} log (last 80 lines):\n{string.Join("\n", worker.Log().Split('\n').TakeLast(80))}");
        }
    }

    private string ExportOf(int day) => SampleDataGenerator.Generate(new SampleDataOptions
    {
        OutputDirectory = Path.Combine(_folder.Path, "exports", $"day{day}"),
        Courses = ["erinhills"],
        RoundsPerCourse = 200,
        FilesPerCourse = 1,
        Seed = 900 + day,
        IngestDate = new DateOnly(2025, 6, day),
    }).Files.Single().Path;

    private string ManifestOf(int day) =>
        $"{{\"batch_id\": \"m{day}\", \"uploader\": \"ops\", \"intent\": \"ingest_rounds\", \"files\": [{{\"path\": \"m{day}/{Path.GetFileName(ExportPathOf(day))}\", \"type\": \"rounds\"}}], " +
        $"\"metadata\": {{\"course_id\": \"erinhills\", \"ingest_date\": \"2025-06-0{day}\"}}}}";

    private readonly Dictionary<int, string> _exports = [];

    private string ExportPathOf(int day) => _exports.TryGetValue(day, out var path) ? path : _exports[day] = ExportOf(day);

    private async Task UploadFilesAsync(IObjectStore landing, int day, CancellationToken cancellationToken) =>
        await landing.PutFileAsync($"m{day}/{Path.GetFileName(ExportPathOf(day))}", ExportPathOf(day), null, cancellationToken);

    private async Task UploadBatchAsync(IObjectStore landing, int day, CancellationToken cancellationToken)
    {
        await UploadFilesAsync(landing, day, cancellationToken);
        await PutAsync(landing, $"manifests/m{day}.json", ManifestOf(day), cancellationToken);
    }

    private static async Task PutAsync(IObjectStore store, string key, string text, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.PutAsync(key, content, null, cancellationToken);
    }

    private static bool Held(SensorTick tick) => tick.Reason?.StartsWith(SensorRunner.LeaseHeldReason, StringComparison.Ordinal) == true;

    /// <summary>The manifest sensor's ticks since <paramref name="killedAt"/>, once one of them evaluated (was not left to a lease holder), or at <paramref name="until"/>.</summary>
    private static async Task<List<SensorTick>> WaitForTakeoverAsync(LakehouseRuntime client, DateTimeOffset killedAt, DateTimeOffset until, CancellationToken deadline)
    {
        while (true)
        {
            var ticks = (await client.Instance.Sensors.GetTicksAsync(ManifestSensor.Name, 200, deadline)).Where(t => t.StartedAt > killedAt).ToList();
            if (ticks.Any(t => !Held(t)) || DateTimeOffset.UtcNow > until) return ticks;
            await Task.Delay(250, deadline);
        }
    }

    /// <summary>Waits (at most 5 minutes) until <paramref name="count"/> manifest runs succeeded; says what the ticks and workers did otherwise.</summary>
    private static async Task WaitForIngestedAsync(LakehouseRuntime client, int count, IReadOnlyList<WorkerProcess> workers, CancellationToken deadline)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        patience.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            while (true)
            {
                var runs = (await client.Instance.Runs.ListRunsAsync(new RunQuery { Limit = 1000 }, patience.Token)).Where(r => r.Tags.ContainsKey("run_key")).ToList();
                Assert.DoesNotContain(runs, r => r.Status is RunStatus.Failed or RunStatus.Canceled);
                if (runs.Count(r => r.Status == RunStatus.Succeeded) >= count) return;
                await Task.Delay(250, patience.Token);
            }
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            var ticks = await client.Instance.Sensors.GetTicksAsync(ManifestSensor.Name, 20, CancellationToken.None);
            throw new Xunit.Sdk.XunitException($"{count} manifest runs did not succeed within 5 minutes.\nticks:\n" +
                string.Join("\n", ticks.Select(t => $"{t.StartedAt:O} {t.Status} {string.Join(",", t.RunIds)} {t.Reason}")) + "\n" +
                string.Join("\n", workers.Select(w => $"worker {w.Id} log (last 80 lines):\n{string.Join("\n", w.Log().Split('\n').TakeLast(80))}")));
        }
    }

    /// <summary>The worker process holding the manifest sensor's lease (its owner starts with "machine:pid:") and until when, polled closely for at most two minutes.</summary>
    private static async Task<(int Pid, DateTimeOffset Until)> WaitForLeaseHolderAsync(string database, IReadOnlySet<int> pids, CancellationToken deadline)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        patience.CancelAfter(TimeSpan.FromMinutes(2));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(patience.Token);
        await using var command = new NpgsqlCommand("SELECT owner, lease_until FROM sensor_leases WHERE name = @name;", connection);
        command.Parameters.AddWithValue("name", ManifestSensor.Name);
        while (true)
        {
            await using (var reader = await command.ExecuteReaderAsync(patience.Token))
                if (await reader.ReadAsync(patience.Token) && int.TryParse(reader.GetString(0).Split(':')[1], out var pid) && pids.Contains(pid))
                    return (pid, reader.GetFieldValue<DateTimeOffset>(1));
            await Task.Delay(5, patience.Token);
        }
    }

    private static async Task WaitForServersAsync(string database, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.server;", connection);
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! >= count) return;
            await Task.Delay(200, cancellationToken);
        }
    }

    private string WriteEnvFile(string database)
    {
        var path = Path.Combine(_folder.Path, "manifest.env");
        var connection = new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 20 }.ConnectionString;
        File.WriteAllLines(path,
        [
            "TM_INSTANCE_STORE=postgres",
            $"TM_POSTGRES={connection}",
            "TM_OBJECT_STORE=s3",
            $"TM_S3_ENDPOINT={s3.Endpoint}",
            "TM_S3_FORCE_PATH_STYLE=true",
            $"TM_S3_ACCESS_KEY={s3.AccessKey}",
            $"TM_S3_SECRET_KEY={s3.SecretKey}",
            .. Layers.All.Select(l => $"TM_BUCKET_{l.ToUpperInvariant()}=manifest-{l}-{Guid.NewGuid().ToString("N")[..8]}"),
            $"TM_HOME={Path.Combine(_folder.Path, "home")}",
            "TM_JOB_INVISIBILITY_TIMEOUT=10",
            "TM_LOG_LEVEL=Information",
        ]);
        return path;
    }
}
