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

    /// <summary>
    /// Lands every file; a file that fails its checks is reported (with its quarantine report) and the others still land. What the
    /// user typed (files, course ids, ingest dates) is checked for every input before the first write, so a refused land leaves no trace.
    /// </summary>
    public static async Task<int> LandAndVerifyAsync(CliSession session, IReadOnlyList<(string Path, string Course, DateOnly Date)> inputs, CancellationToken cancellationToken)
    {
        var runId = RunIds.New();
        var (partitions, failures) = await LandAsync(session, inputs, runId, cancellationToken);
        if (partitions.Count == 0)
        {
            session.Out.WriteLine(failures == 0 ? "Nothing new landed." : $"{failures} file(s) rejected; nothing landed.");
            return failures == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }
        await session.Runtime.Coordinator.LaunchAsync(VerifyRequest(partitions), cancellationToken, runId);
        var exit = await RunFollower.FollowAsync(session, runId, cancellationToken);
        return failures > 0 ? ExitCodes.Failed : exit;
    }

    /// <summary>
    /// Lands every file as <see cref="LandAndVerifyAsync"/> does, its ledger rows carrying <paramref name="runId"/>, without the
    /// verifying run: the caller launches a run of that id that materializes bronze/rounds_raw (`tmlake demo` runs it with
    /// Silver and Gold). Returns the partitions that received a new file and how many files were rejected.
    /// </summary>
    public static async Task<(IReadOnlyCollection<string> Partitions, int Failures)> LandAsync(CliSession session,
        IReadOnlyList<(string Path, string Course, DateOnly Date)> inputs, string runId, CancellationToken cancellationToken)
    {
        await ValidateAsync(session, inputs, cancellationToken);
        var landing = new BronzeLanding(session.Runtime.Resources, session.Runtime.Clock) { Origin = LandingOrigin.Cli(Environment.UserName) };
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        var failures = 0;
        var outcomes = inputs.Select(_ => new TaskCompletionSource<(string Line, string? Partition)>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        // Partitions land side by side, one per core (`tmlake demo` lands five courses), the largest first so that it does not
        // land alone at the end; the files of one partition one after another, since its ledger checks (same content, same
        // name) must see the files landed before them.
        var groups = inputs.Select((input, index) => (Input: input, Index: index)).GroupBy(f => BronzePartitions.KeyOf(f.Input.Course, f.Input.Date))
            .OrderByDescending(g => g.Sum(f => new FileInfo(f.Input.Path).Length)).ToList();
        var landingAll = Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                foreach (var (input, index) in group)
                {
                    var name = Path.GetFileName(input.Path);
                    try
                    {
                        var result = await landing.LandAsync(input.Path, input.Course, input.Date, runId, token);
                        outcomes[index].SetResult(($"{name}: {result.Message}", result.AlreadyLanded ? null : result.Partition));
                    }
                    catch (BronzeCheckException ex)
                    {
                        outcomes[index].SetResult(($"{name}: REJECTED: {ex.Message} (quarantine report: {ex.ReportKey})", null));
                        Interlocked.Increment(ref failures);
                    }
                }
            });
        // Reported in the order given, each as soon as it and those before it have landed.
        foreach (var outcome in outcomes)
        {
            // Landing stopped (an error other than a failed check, or Ctrl+C) before this file's turn: that error is what to report.
            if (await Task.WhenAny(outcome.Task, landingAll) != outcome.Task && !outcome.Task.IsCompleted) await landingAll;
            var (line, partition) = await outcome.Task;
            session.Out.WriteLine(line);
            if (partition is not null) partitions.Add(partition);
        }
        await landingAll;
        return (partitions, failures);
    }

    private static RunRequest VerifyRequest(IEnumerable<string> partitions) =>
        new(BronzeRoundsRawAsset.Key.Value) { Partitions = partitions.ToList(), Tags = new Dictionary<string, string> { ["source"] = "land" } };

    /// <summary>
    /// Refuses (exit 2) a missing file, a bad course id, or an ingest date the verifying run would refuse (before the partitions'
    /// start, after today): the run is planned here, by the same planner that launches it, before anything is written.
    /// </summary>
    private static async Task ValidateAsync(CliSession session, IReadOnlyList<(string Path, string Course, DateOnly Date)> inputs, CancellationToken cancellationToken)
    {
        foreach (var (path, course, _) in inputs)
        {
            if (!File.Exists(path)) throw new CliUserException(Directory.Exists(path) ? $"{path} is a folder, not a file." : $"No file {path}.");
            if (BronzePartitions.CourseIdProblem(course) is { } problem) throw new CliUserException($"--course {problem}");
        }
        await session.Runtime.Planner.PlanAsync(VerifyRequest(inputs.Select(i => BronzePartitions.KeyOf(i.Course, i.Date)).Distinct()), cancellationToken);
    }
}
