using System.CommandLine;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake run show ID`: the run's steps, materialization metadata, check results, logs and errors.</summary>
internal static class RunCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var id = new Argument<string>("run-id") { Description = "The run id (from `tmlake runs`)." };
        var logs = new Option<bool>("--logs") { Description = "Also print every log line." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: the run, its steps and their attempts." };
        var show = new Command("show", "Show a run: steps with their attempts, metadata, check results, logs and errors.") { id, logs, json };
        show.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var runId = parse.GetValue(id)!;
            var instance = session.Runtime.Instance;
            var run = await instance.Runs.GetRunAsync(runId, ct) ?? throw new CliUserException($"No run '{runId}'. List runs with `tmlake runs`.");
            var output = session.Out;
            var events = await instance.Events.QueryAsync(new EventQuery { RunId = runId, Limit = 100_000 }, ct);
            var steps = await instance.Runs.GetStepsAsync(runId, ct);
            var attempts = StepAttempt.Of(events);
            if (parse.GetValue(json))
            {
                output.WriteLine(CliJson.Serialize(CliJson.Run(run, steps, attempts)));
                return 0;
            }
            output.WriteLine($"Run {run.RunId}  {run.Status.ToString().ToLowerInvariant()}");
            output.WriteLine($"  selection:  {run.Selection}");
            if (run.Partitions.Count > 0) output.WriteLine($"  partitions: {string.Join(" ", run.Partitions)}");
            if (run.ParentRunId is not null) output.WriteLine($"  re-executes {run.ParentRunId}");
            output.WriteLine($"  created {run.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC" + (run.EndedAt is { } end ? $", ended {end:HH:mm:ss}" : ""));
            // Why the run ended, when it was more than its steps (its process stopped).
            if (events.LastOrDefault(e => e.Type is EventType.RunFailed or EventType.RunCanceled) is { Message: var why } && why.Contains(':', StringComparison.Ordinal))
                output.WriteLine($"  {why}");
            output.WriteLine();
            TextTable.Write(output, ["STEP", "STATUS", "ATTEMPT", "DURATION", "ERROR"], steps.Select(s => (IReadOnlyList<string>)
            [
                s.Key.ToString(), s.Status.ToString().ToLowerInvariant(), s.Attempt.ToString(),
                s is { StartedAt: { } a, EndedAt: { } b } ? $"{(b - a).TotalSeconds:0.00} s" : "-",
                s.Error ?? "",
            ]));
            foreach (var group in events.Where(e => e.Step is not null).GroupBy(e => e.Step!))
            {
                output.WriteLine();
                output.WriteLine($"== {group.Key}");
                foreach (var a in attempts.GetValueOrDefault(group.Key) ?? [])
                    output.WriteLine($"  attempt {a.Number}: {a.Outcome}" + (a.EndedAt is { } ended ? $" after {(ended - a.StartedAt).TotalSeconds:0.00} s" : "") +
                                     (a.Outcome == "succeeded" || a.Reason is null ? "" : $" - {Shorten(a.Reason)}"));
                foreach (var e in group)
                {
                    switch (e.Type)
                    {
                        case EventType.Materialization:
                            // A multi-asset step materializes several assets: each materialization names its own.
                            output.WriteLine(e.Asset == e.Step!.Asset ? "  materialization:" : $"  materialization of {e.Asset}:");
                            foreach (var (key, value) in e.Metadata) output.WriteLine($"    {key}: {Shorten(value.Display())}");
                            break;
                        case EventType.CheckResult when e.Check is { } check:
                            var verdict = check.Passed ? "passed" : check.Severity == Lakehouse.Core.Quality.AssetCheckSeverity.Warn ? "WARN" : "FAILED";
                            output.WriteLine($"  check {(e.Asset == e.Step!.Asset ? "" : e.Asset + " ")}{check.CheckName}: {verdict}{(string.IsNullOrEmpty(check.Description) ? "" : " - " + check.Description)}");
                            break;
                        case EventType.StepFailed or EventType.StepRetry or EventType.StepSkipped or EventType.StepCanceled:
                            output.WriteLine($"  {e.Type}: {e.Message}");
                            break;
                        case EventType.Log when parse.GetValue(logs) || e.Level is "Warning" or "Error" or "Fatal":
                            output.WriteLine($"  {e.Timestamp:HH:mm:ss.fff} {e.Level,-11} {e.Message}");
                            break;
                    }
                }
            }
            return 0;
        });
        var command = new Command("run", "Inspect one run.");
        command.Subcommands.Add(show);
        return command;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
