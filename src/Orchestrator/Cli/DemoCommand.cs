using System.CommandLine;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// `tmlake demo`: the main job on whatever runtime the settings name — sample exports for five courses, landed into Bronze,
/// then Bronze → Silver → Gold in one run, then a per-course summary and where to look.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rounds = SampleDataCommand.RoundsOption();
        var seed = SampleDataCommand.SeedOption();
        var courses = SampleDataCommand.CoursesOption();
        var data = new Option<DirectoryInfo?>("--data") { Description = "Where to write the sample exports (default: TM_HOME/sample-data)." };
        var command = new Command("demo", "Sample data → land → Bronze → Silver → Gold for five courses, then a summary.") { rounds, seed, courses, data };
        command.SetAction(async (parse, ct) =>
        {
            // The sample data needs only the settings: the runtime (instance store, job server, the JIT of their start-up) opens
            // meanwhile, on what the generator leaves of the cores (the demo's first line came 0.4 s after the process started).
            var options = CliSession.LoadConfiguration(environment, parse).Options;
            var output = environment.Out;
            var opening = Task.Run(() => CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, false), ct), ct);
            var folder = parse.GetValue(data)?.FullName ?? Path.Combine(options.Home, "sample-data");
            output.WriteLine($"== 1/4 sample data ({options.InstanceStore} instance, {options.ObjectStore} objects, home {options.Home})");
            SampleDataManifest manifest;
            try
            {
                manifest = await Task.Run(() => SampleDataCommand.Generate(output, folder, parse.GetValue(courses), parse.GetValue(rounds), parse.GetValue(seed), ct), ct);
            }
            catch
            {
                // The generator's error is the one to report; the session it did not need is closed first, whatever became of it.
                if (await opening.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } opened) await opened.DisposeAsync();
                throw;
            }
            await using var session = await opening;

            output.WriteLine("== 2/4 land into Bronze");
            // The landed files' ledger rows carry the id of the run below, which verifies them (bronze/rounds_raw) as `tmlake land`'s
            // own run would, and goes on to Silver and Gold: one run rather than two.
            var runId = RunIds.New();
            var (_, rejected) = await LandCommand.LandAsync(session, manifest.Files.Select(f => (f.Path, f.CourseId, f.IngestDate)).ToList(), runId, ct);
            if (rejected > 0)
            {
                output.WriteLine($"{rejected} file(s) rejected; the demo stops here.");
                return ExitCodes.Failed;
            }

            output.WriteLine("== 3/4 Bronze → Silver → Gold");
            var partitions = manifest.Files.Select(f => BronzePartitions.KeyOf(f.CourseId, f.IngestDate)).Distinct().Order(StringComparer.Ordinal).ToList();
            var request = new RunRequest($"{BronzeRoundsRawAsset.Key}+")
                { Partitions = partitions, Tags = new Dictionary<string, string> { ["source"] = "demo" } };
            await session.Runtime.Coordinator.LaunchAsync(request, ct, runId);
            var exit = await RunFollower.FollowAsync(session, runId, ct);

            output.WriteLine("== 4/4 summary");
            await DemoSummary.WriteAsync(session, runId, manifest.Files.Select(f => f.CourseId).Distinct().Order(StringComparer.Ordinal).ToList(), ct);
            output.WriteLine();
            output.WriteLine("Where to look:");
            var tmlake = Invocation(session, parse);
            var course = manifest.Files.Select(f => f.CourseId).Order(StringComparer.Ordinal).First();
            TextTable.Write(output, ["  COMMAND", "SHOWS"],
            [
                [$"  {tmlake} run show {runId}", "steps, metadata, check results"],
                [$"  {tmlake} preview gold/fact_rounds -p {course}", "rows of a table (also silver/fact_telemetry_event)"],
                [$"  {tmlake} table history silver.fact_telemetry_event", "Iceberg snapshots"],
                [$"  {tmlake} quarantine list", "rows set aside and why"],
                [$"  {tmlake} serve", "the dashboard on http://127.0.0.1:3000 (--port to change)"],
            ]);
            return exit;
        });
        return command;
    }

    /// <summary>
    /// How to reach this same lake again: `tmlake` (on PATH, or ./tmlake in a checkout), with the settings this demo ran under when
    /// they are not the defaults — a TM_HOME elsewhere than ./.lakehouse, an env file.
    /// </summary>
    private static string Invocation(CliSession session, System.CommandLine.ParseResult parse)
    {
        var prefix = new List<string>();
        if (!string.Equals(session.Options.Home, Path.GetFullPath(".lakehouse"), StringComparison.Ordinal)) prefix.Add($"TM_HOME={Quote(session.Options.Home)}");
        var envFile = parse.GetValue(TmlakeCli.EnvFileOption)?.FullName
                      ?? (session.Environment.Variables.TryGetValue("TM_ENV_FILE", out var file) && file.Length > 0 ? Path.GetFullPath(file) : null);
        if (envFile is not null) prefix.Add($"TM_ENV_FILE={Quote(envFile)}");
        return string.Join(' ', prefix.Append("tmlake"));
    }

    private static string Quote(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'" : value;
}
