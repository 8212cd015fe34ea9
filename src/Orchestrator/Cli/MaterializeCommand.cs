using System.CommandLine;
using Lakehouse.Core.Execution;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake materialize --select S [--partition K]... [--all-partitions]`: launches a run and follows it to its end.</summary>
internal static class MaterializeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var select = new Option<string>("--select", "-s") { Description = "Assets: a key, silver/*, group:gold, +key (with upstream), key+ (with downstream); comma for union.", Required = true };
        var partition = new Option<string[]>("--partition", "-p") { Description = "A partition key, e.g. course_id=erinhills,ingest_date=2025-06-01 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var all = new Option<bool>("--all-partitions") { Description = "Every partition the instance knows." };
        var tags = new Option<string[]>("--tag") { Description = "key=value tags stored with the run (repeatable)." };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("materialize", "Materialize assets and wait, showing each step; exit code 0 only if the run succeeded.")
        {
            select, partition, all, tags, noWorkers,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            var partitions = parse.GetValue(partition) ?? [];
            var request = new RunRequest(parse.GetValue(select)!)
            {
                Partitions = partitions,
                AllPartitions = parse.GetValue(all),
                Tags = ParseTags(parse.GetValue(tags) ?? []),
            };
            return await RunFollower.LaunchAndFollowAsync(session, request, ct);
        });
        return command;
    }

    private static IReadOnlyDictionary<string, string> ParseTags(string[] tags) => tags.ToDictionary(
        t => t.Contains('=') ? t[..t.IndexOf('=')] : throw new CliUserException($"Tag '{t}' is not key=value."),
        t => t[(t.IndexOf('=') + 1)..]);
}
