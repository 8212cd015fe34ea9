using System.CommandLine;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake cancel ID`: asks a run to stop; running steps see it within a second, wherever they run.</summary>
internal static class CancelCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var id = new Argument<string>("run-id") { Description = "The run to cancel." };
        var command = new Command("cancel", "Cancel a run.") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var runId = parse.GetValue(id)!;
            await session.Runtime.Coordinator.CancelAsync(runId, ct);
            session.Out.WriteLine($"Cancel requested for run {runId}.");
            return 0;
        });
        return command;
    }
}
