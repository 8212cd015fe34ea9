using System.CommandLine;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake reexecute ID`: runs a failed run's failed, skipped and canceled steps again, and follows the new run.</summary>
internal static class ReexecuteCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var id = new Argument<string>("run-id") { Description = "The run to re-execute from its failure." };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("reexecute", "Re-execute a run from its failed steps.") { id, noWorkers };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            var newRun = await session.Runtime.Coordinator.ReexecuteAsync(parse.GetValue(id)!, ct);
            return await RunFollower.FollowAsync(session, newRun, ct);
        });
        return command;
    }
}
