using System.CommandLine;
using System.Globalization;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>
/// `tmlake backfill --select S --partitions P [--partitions-per-run N] [--single-run] [--max-concurrent-runs M]` stores a backfill
/// and follows it to its end (a progress bar on a terminal); `backfill show ID [--json]`, `backfill cancel ID`, `backfill resume ID`.
/// </summary>
internal static class BackfillCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliEnvironment environment)
    {
        var select = new Option<string?>("--select", "-s") { Description = "Assets, as for materialize (silver/*, +gold/fact_rounds)." };
        var partitions = new Option<string?>("--partitions", "-p")
        {
            Description = "A partition range: per dimension '*' (every known value), A..B (days), or values joined by '|', e.g. course_id=*,ingest_date=2025-06-01..2025-06-30.",
        };
        var perRun = new Option<int>("--partitions-per-run") { Description = "Partitions per run (default 1).", DefaultValueFactory = _ => 1 };
        var singleRun = new Option<bool>("--single-run") { Description = "One run for every partition." };
        var maxRuns = new Option<int>("--max-concurrent-runs") { Description = "Runs in flight at once (default 4).", DefaultValueFactory = _ => 4 };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("backfill", "Backfill a partition range as many runs, following its progress; subcommands show, cancel, resume.")
        {
            select, partitions, perRun, singleRun, maxRuns, noWorkers,
        };
        command.SetAction(async (parse, ct) =>
        {
            var selection = parse.GetValue(select) ?? throw new CliUserException("Give --select (which assets) and --partitions (which range), e.g. --partitions 'course_id=*,ingest_date=2025-06-01..2025-06-03'.");
            var range = parse.GetValue(partitions) ?? throw new CliUserException("Give --partitions, e.g. 'course_id=*,ingest_date=2025-06-01..2025-06-03'.");
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            var id = await session.Runtime.Backfills.SubmitAsync(new BackfillRequest(selection, range)
            {
                PartitionsPerRun = parse.GetValue(perRun),
                SingleRun = parse.GetValue(singleRun),
                MaxConcurrentRuns = parse.GetValue(maxRuns),
            }, ct);
            var backfill = await session.Runtime.Backfills.GetAsync(id, ct);
            var runs = (backfill.Total + backfill.PartitionsPerRun - 1) / Math.Max(1, backfill.PartitionsPerRun);
            session.Out.WriteLine($"Backfill {id}: {backfill.Total} partition(s) in {runs} run(s), at most {backfill.MaxConcurrentRuns} at a time. " +
                                  $"Follow with `tmlake backfill show {id}`.");
            return await FollowAsync(session, id, ct);
        });
        command.Subcommands.Add(Show(environment));
        command.Subcommands.Add(Cancel(environment));
        command.Subcommands.Add(Resume(environment));
        return command;
    }

    /// <summary>Ticks the backfill in the foreground until it ends (workers elsewhere tick it too; the lease lets one at a time through).</summary>
    private static async Task<int> FollowAsync(CliSession session, long id, CancellationToken cancellationToken)
    {
        var runtime = session.Runtime;
        var terminal = session.Environment.OutIsTerminal;
        var started = runtime.Clock.GetTimestamp();
        string? last = null;
        BackfillRecord backfill;
        BackfillProgressView view;
        while (true)
        {
            await runtime.BackfillDaemon.TickAsync(id, cancellationToken);
            backfill = await runtime.Backfills.GetAsync(id, cancellationToken);
            view = BackfillProgressView.Of(await runtime.Instance.Backfills.GetProgressAsync(id, cancellationToken), backfill, runtime.Clock.GetUtcNow());
            var counts = $"{view.Done}/{view.Failed}/{view.InFlight}";
            if (terminal) session.Out.Write($"\r[{view.Bar(30)}] {view.Line()}\u001b[K");
            else if (counts != last) session.Out.WriteLine($"  {view.Line()}");
            last = counts;
            if (backfill.Status != BackfillStatus.Requested) break;
            await Task.Delay(Poll, runtime.Clock, cancellationToken);
        }
        if (terminal) session.Out.WriteLine();
        var elapsed = runtime.Clock.GetElapsedTime(started);
        session.Out.WriteLine($"Backfill {id} {backfill.Status.ToString().ToLowerInvariant()} in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s " +
                              $"({view.Done}/{view.Total} done, {view.Failed} failed).");
        foreach (var run in await runtime.Instance.Backfills.GetRunsAsync(id, 20, cancellationToken))
            if (run.LaunchError is not null) session.Out.WriteLine($"  {run.FirstPartition}: not launched: {run.LaunchError}");
        return backfill.Status == BackfillStatus.Completed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static Argument<long> IdArgument() => new("backfill-id") { Description = "The backfill id (from `tmlake backfills`)." };

    private static Command Show(CliEnvironment environment)
    {
        var id = IdArgument();
        var json = new Option<bool>("--json") { Description = "Print one JSON document: the backfill, its progress and its runs." };
        var command = new Command("show", "Show a backfill: progress (done / failed / in flight / total, rate, ETA) and its runs.") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var backfill = await session.Runtime.Backfills.GetAsync(parse.GetValue(id), ct);
            var view = await BackfillView.ReadAsync(session.Runtime.Instance, backfill, withRuns: true, session.Runtime.Clock, ct);
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(view, BackfillView.Json));
                return ExitCodes.Success;
            }
            var output = session.Out;
            output.WriteLine($"Backfill {view.BackfillId}  {view.Status}");
            output.WriteLine($"  selection:  {view.Selection}");
            output.WriteLine($"  partitions: {view.Partitions} ({view.Progress.Total}; {(view.SingleRun ? "one run" : $"{view.PartitionsPerRun} per run")}, at most {view.MaxConcurrentRuns} run(s) at once)");
            output.WriteLine($"  created {view.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC" + (view.EndedAt is { } end ? $", ended {end:HH:mm:ss}" : ""));
            output.WriteLine($"  progress:   [{view.Progress.Bar(30)}] {view.Progress.Line()}");
            output.WriteLine();
            TextTable.Write(output, ["RUN", "STATUS", "PARTITIONS", "FIRST", "LAST"], view.Runs!.Select(r => (IReadOnlyList<string>)
            [
                r.RunId ?? "-", r.Status, r.Partitions.ToString(CultureInfo.InvariantCulture), r.FirstPartition, r.Error is null ? r.LastPartition : $"{r.LastPartition} ({r.Error})",
            ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel(CliEnvironment environment)
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancel a backfill: no more runs are launched, those in flight are canceled.") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            await session.Runtime.Backfills.CancelAsync(parse.GetValue(id), ct);
            session.Out.WriteLine($"Backfill {parse.GetValue(id)} canceled; its runs in flight were asked to stop. Resume it with `tmlake backfill resume {parse.GetValue(id)}`.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Resume(CliEnvironment environment)
    {
        var id = IdArgument();
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("resume", "Launch again what failed, was canceled or never ran, and follow the backfill.") { id, noWorkers };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            var backfillId = parse.GetValue(id);
            var count = await session.Runtime.Backfills.ResumeAsync(backfillId, ct);
            session.Out.WriteLine($"Backfill {backfillId} resumed: {count} partition(s) to run again.");
            return await FollowAsync(session, backfillId, ct);
        });
        return command;
    }
}
