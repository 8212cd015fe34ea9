using System.CommandLine;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake worker`: executes steps from the shared job queue until stopped (Ctrl+C or SIGTERM).</summary>
internal static class WorkerCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var workers = new Option<int?>("--workers", "-w") { Description = "Concurrent steps (default TM_WORKERS, else the core count)." };
        var queues = new Option<string[]>("--queue", "-q") { Description = "Queues to take steps from (default: default)." };
        var command = new Command("worker", "Run steps from the shared queue (PostgreSQL job storage) until stopped.") { workers, queues };
        command.SetAction(async (parse, ct) =>
        {
            var options = CliSession.LoadOptions(environment, parse);
            if (options.InstanceStore != Lakehouse.Core.Config.StoreKind.Postgres)
                throw new CliUserException("`tmlake worker` needs shared job storage: set TM_INSTANCE_STORE=postgres and TM_POSTGRES (e.g. --env-file config/local.env). In the embedded mode, `materialize` and `serve` run their own workers.");
            var queueNames = parse.GetValue(queues) is { Length: > 0 } q ? q : [RuntimeRole.DefaultQueue];
            var count = parse.GetValue(workers) ?? options.Workers;
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.Workers(count, queueNames) with { RunsTicks = true }, ct);
            // Sensors and automation tick in every worker, on its tick workers; their lease lets one evaluation at a time through.
            Sensors.SensorRunner.RegisterRecurringJobs(session.Runtime.JobStorage, session.Runtime.Sensors.Catalog);
            Backfills.BackfillDaemon.RegisterRecurringJob(session.Runtime.JobStorage);
            Automation.AutomationDaemon.RegisterRecurringJob(session.Runtime.JobStorage, session.Runtime.Graph);
            session.Out.WriteLine($"Worker {Environment.MachineName}:{Environment.ProcessId} running {count} step(s) at a time from queue(s) {string.Join(", ", queueNames)}. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            session.Out.WriteLine("Worker stopping: finishing the steps in hand.");
            return 0;
        });
        return command;
    }
}
