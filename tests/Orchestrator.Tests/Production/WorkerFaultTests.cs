using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Tables;
using Npgsql;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Production;

/// <summary>
/// The production shape end to end: PostgreSQL, s3rver, two `tmlake worker` processes and the real asset definitions.
/// One worker is killed with SIGKILL while it runs a step; the other must finish the run, and Silver must hold every
/// partition's rows exactly once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerFaultTests(PostgresServerFixture postgres, S3ServerFixture s3) : IClassFixture<S3ServerFixture>, IDisposable
{
    private static readonly string[] Courses = SampleDataOptions.AllCourses.ToArray();
    private static readonly DateOnly[] IngestDates = Enumerable.Range(0, 4).Select(d => new DateOnly(2025, 6, 1).AddDays(d)).ToArray();
    private readonly TempHome _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task KilledWorkerMidStep_TheOtherWorkerFinishesTheRun_AndSilverHoldsEveryPartitionOnce()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var dll = await TmlakeBuild.DllAsync().WaitAsync(deadline.Token);
        var database = await postgres.CreateDatabaseAsync();
        var envFile = WriteEnvFile(database);
        var options = LakehouseConfiguration.Load(envFile, new Dictionary<string, string>(), _folder.Path).Options;

        // The client: lands the exports and launches the run; it executes nothing itself.
        await using var client = await LakehouseRuntime.OpenAsync(options, Definitions.All(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger(),
            cancellationToken: deadline.Token);
        var partitions = await LandSampleExportsAsync(client, deadline.Token);
        Assert.Equal(20, partitions.Count);

        using var first = WorkerProcess.Start(dll, envFile, workers: 2, Path.Combine(_folder.Path, "worker-1.log"));
        using var second = WorkerProcess.Start(dll, envFile, workers: 2, Path.Combine(_folder.Path, "worker-2.log"));
        var workers = new[] { first, second };
        try
        {
            await WaitForServersAsync(database, 2, deadline.Token);
            var runId = await client.Coordinator.LaunchAsync(new RunRequest($"{BronzeRoundsRawAsset.Key}+") { Partitions = partitions }, deadline.Token);

            var (victimPid, victimStep) = await WaitForStepRunningOnAWorkerAsync(client, database, workers.Select(w => w.Id).ToHashSet(), runId, deadline.Token);
            var victim = workers.Single(w => w.Id == victimPid);
            victim.KillHard();
            Assert.True(victim.HasExited);
            var survivor = workers.Single(w => w != victim);

            var run = await WaitForRunOrExplainAsync(client, database, runId, survivor, deadline.Token);

            Assert.True(run.Status == RunStatus.Succeeded, $"run {runId} ended {run.Status}; survivor log:\n{survivor.Log()}");
            Assert.False(survivor.HasExited);
            var steps = await client.Instance.Runs.GetStepsAsync(runId, deadline.Token);
            Assert.All(steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
            var materialized = await client.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.Materialization], Limit = 10_000 }, deadline.Token);
            Assert.All(steps, s => Assert.Contains(materialized, e => e.Step == s.Key));
            Assert.Equal(20, steps.Count(s => s.Key.Asset == SilverTelemetryAsset.Key));

            // The killed step was taken over: its attempt was declared lost and it ran again.
            var retried = steps.Single(s => s.Key.ToString() == victimStep);
            Assert.True(retried.Attempt >= 2, $"step {victimStep} ended at attempt {retried.Attempt}");
            var lost = await client.Instance.Events.QueryAsync(new EventQuery { RunId = runId, Types = [EventType.StepRetry] }, deadline.Token);
            Assert.Contains(lost, e => e.Step!.ToString() == victimStep && e.Message.Contains("was lost", StringComparison.Ordinal));

            await SilverRows.AssertEachPartitionOnceAsync(client, materialized, partitions, deadline.Token);
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }
    }

    /// <summary>
    /// Waits for the run's end; when it does not end in time, fails with what a person would look at: each step's status
    /// and attempt, the Hangfire jobs' states and the survivor's log — a bare "task canceled" says nothing.
    /// </summary>
    private static async Task<RunRecord> WaitForRunOrExplainAsync(LakehouseRuntime client, string database, string runId, WorkerProcess survivor,
        CancellationToken deadline)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        patience.CancelAfter(TimeSpan.FromMinutes(6));
        try
        {
            return await RunWatcher.WaitAsync(client.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(250), patience.Token);
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            var steps = await client.Instance.Runs.GetStepsAsync(runId, CancellationToken.None);
            var unfinished = steps.Where(s => !s.Status.IsFinal()).Select(s => $"{s.Key} {s.Status} attempt {s.Attempt}");
            var jobs = new List<string>();
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync(CancellationToken.None);
                await using var command = new NpgsqlCommand(
                    "SELECT j.id, j.statename, j.arguments, q.fetchedat FROM hangfire.job j LEFT JOIN hangfire.jobqueue q ON q.jobid = j.id " +
                    "WHERE j.statename IS DISTINCT FROM 'Succeeded' ORDER BY j.id;", connection);
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                    jobs.Add($"job {reader.GetInt64(0)} {(reader.IsDBNull(1) ? "-" : reader.GetString(1))} {reader.GetString(2)} fetched {(reader.IsDBNull(3) ? "-" : reader.GetValue(3))}");
            }
            throw new Xunit.Sdk.XunitException(
                $"run {runId} did not end within 6 minutes of the kill.\nunfinished steps:\n{string.Join("\n", unfinished)}\n" +
                $"unfinished Hangfire jobs:\n{string.Join("\n", jobs)}\nsurvivor log (last 150 lines):\n{string.Join("\n", survivor.Log().Split('\n').TakeLast(150))}");
        }
    }

    private string WriteEnvFile(string database)
    {
        var path = Path.Combine(_folder.Path, "fault.env");
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
            .. Lakehouse.Core.Objects.Layers.All.Select(l => $"TM_BUCKET_{l.ToUpperInvariant()}=fault-{l}-{Guid.NewGuid().ToString("N")[..8]}"),
            $"TM_HOME={Path.Combine(_folder.Path, "home")}",
            "TM_JOB_INVISIBILITY_TIMEOUT=10",
            "TM_LOG_LEVEL=Information",
        ]);
        return path;
    }

    /// <summary>Five courses × four ingest dates, each with its own seed so every file is new to the ledger.</summary>
    private async Task<List<string>> LandSampleExportsAsync(LakehouseRuntime client, CancellationToken cancellationToken)
    {
        var landing = new BronzeLanding(client.Resources, client.Clock);
        var landRun = RunIds.New();
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < IngestDates.Length; d++)
        {
            var manifest = SampleDataGenerator.Generate(new SampleDataOptions
            {
                OutputDirectory = Path.Combine(_folder.Path, "exports", $"day{d}"),
                RoundsPerCourse = 150,
                Seed = 7_000 + d,
                IngestDate = IngestDates[d],
            }, cancellationToken);
            foreach (var file in manifest.Files)
            {
                var landed = await landing.LandAsync(file.Path, file.CourseId, file.IngestDate, landRun, cancellationToken);
                partitions.Add(landed.Partition);
            }
        }
        return partitions.ToList();
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

    /// <summary>
    /// Waits for a Silver step the run store has Running whose Hangfire job is Processing on one of the worker processes
    /// (Hangfire's server id starts with the worker's "machine:pid" server name) and returns that process id and the step.
    /// </summary>
    private static async Task<(int Pid, string Step)> WaitForStepRunningOnAWorkerAsync(LakehouseRuntime client, string database, IReadOnlySet<int> pids,
        string runId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        while (true)
        {
            var running = (await client.Instance.Runs.GetStepsAsync(runId, cancellationToken))
                .Where(s => s.Status == StepStatus.Running && s.Key.Asset == SilverTelemetryAsset.Key).Select(s => s.Key.ToString()).ToHashSet();
            if (running.Count > 0)
            {
                await using var command = new NpgsqlCommand(
                    "SELECT j.arguments, s.data FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing';", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var arguments = JsonSerializer.Deserialize<string?[]>(reader.GetString(0))!;
                    // The workers also run sensor and automation ticks (a name and a null token, or only the token): not steps.
                    if (arguments.Length < 2 || arguments[1] is not { } stepArgument) continue;
                    var step = JsonSerializer.Deserialize<string>(stepArgument)!;
                    var serverId = JsonDocument.Parse(reader.GetString(1)).RootElement.GetProperty("ServerId").GetString()!;
                    if (running.Contains(step) && int.TryParse(serverId.Split(':')[1], out var pid) && pids.Contains(pid)) return (pid, step);
                }
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
