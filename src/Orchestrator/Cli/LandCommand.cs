using System.CommandLine;
using Lakehouse.Core.Execution;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Orchestrator.Execution;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// `tmlake land FILE... --course ID [--ingest-date D]`: lands exports into Bronze (checks, SHA-256 ledger, byte-for-byte copy),
/// then materializes bronze/rounds_raw for the partition in a run whose id the ledger rows carry.
/// </summary>
internal static class LandCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Round exports (.csv or .json).", Arity = ArgumentArity.OneOrMore };
        var course = new Option<string>("--course") { Description = "The course id, e.g. erinhills.", Required = true };
        var ingestDate = new Option<string?>("--ingest-date") { Description = "yyyy-MM-dd (default: today, UTC)." };
        var command = new Command("land", "Land round exports into Bronze and verify them in a run.") { files, course, ingestDate };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, false), ct);
            var date = parse.GetValue(ingestDate) is { } text
                ? BronzePartitions.ParseIngestDate(text)
                : DateOnly.FromDateTime(session.Runtime.Clock.GetUtcNow().UtcDateTime);
            var inputs = parse.GetValue(files)!.Select(f => (Path: f.FullName, Course: parse.GetValue(course)!, Date: date)).ToList();
            return await LandAndVerifyAsync(session, inputs, ct);
        });
        return command;
    }

    /// <summary>Lands every file; a file that fails its checks is reported (with its quarantine report) and the others still land.</summary>
    public static async Task<int> LandAndVerifyAsync(CliSession session, IReadOnlyList<(string Path, string Course, DateOnly Date)> inputs, CancellationToken cancellationToken)
    {
        foreach (var missing in inputs.Where(i => !File.Exists(i.Path)))
            throw new CliUserException($"No file {missing.Path}.");
        var runId = RunIds.New();
        var landing = new BronzeLanding(session.Runtime.Resources, session.Runtime.Clock);
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        var failures = 0;
        foreach (var (path, course, date) in inputs)
        {
            try
            {
                var result = await landing.LandAsync(path, course, date, runId, cancellationToken);
                session.Out.WriteLine($"{Path.GetFileName(path)}: {result.Message}");
                if (!result.AlreadyLanded) partitions.Add(result.Partition);
            }
            catch (BronzeCheckException ex)
            {
                failures++;
                session.Out.WriteLine($"{Path.GetFileName(path)}: REJECTED: {ex.Message} (quarantine report: {ex.ReportKey})");
            }
        }
        if (partitions.Count == 0)
        {
            session.Out.WriteLine(failures == 0 ? "Nothing new landed." : $"{failures} file(s) rejected; nothing landed.");
            return failures == 0 ? 0 : 1;
        }
        var request = new RunRequest(BronzeRoundsRawAsset.Key.Value) { Partitions = partitions.ToList(), Tags = new Dictionary<string, string> { ["source"] = "land" } };
        await session.Runtime.Coordinator.LaunchAsync(request, cancellationToken, runId);
        var exit = await RunFollower.FollowAsync(session, runId, cancellationToken);
        return failures > 0 ? 1 : exit;
    }
}
