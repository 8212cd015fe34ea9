using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>
/// A backfill as `tmlake backfills --json`, `tmlake backfill show --json` and <c>/api/backfills</c> show it: stable snake_case
/// keys, the id as a string (64 bits), progress with rate and ETA, and its runs when read one at a time.
/// </summary>
public sealed record BackfillView(string BackfillId, string Status, string Selection, string Partitions, int PartitionsPerRun, bool SingleRun,
    int MaxConcurrentRuns, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, BackfillProgressView Progress, IReadOnlyList<BackfillRunView>? Runs)
{
    /// <summary>How many runs a view of one backfill lists.</summary>
    public const int RunsShown = 1000;

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static async Task<BackfillView> ReadAsync(LakehouseInstance instance, BackfillRecord backfill, bool withRuns, TimeProvider clock, CancellationToken cancellationToken)
    {
        var progress = await instance.Backfills.GetProgressAsync(backfill.Id, cancellationToken);
        var runs = withRuns ? (await instance.Backfills.GetRunsAsync(backfill.Id, RunsShown, cancellationToken)).Select(BackfillRunView.Of).ToList() : null;
        return new BackfillView(backfill.Id.ToString(CultureInfo.InvariantCulture), backfill.Status.ToString().ToLowerInvariant(), backfill.Selection,
            backfill.PartitionSpec, backfill.PartitionsPerRun, backfill.SingleRun, backfill.MaxConcurrentRuns, backfill.CreatedAt, backfill.EndedAt,
            BackfillProgressView.Of(progress, backfill, clock.GetUtcNow()), runs);
    }
}

/// <summary>Partitions done / failed / in flight / pending of the total, the runs in flight, partitions ended per second and the time left at that rate.</summary>
public sealed record BackfillProgressView(int Total, int Done, int Failed, int InFlight, int Pending, int RunsInFlight, double? RatePerSecond, double? EtaSeconds)
{
    public static BackfillProgressView Of(BackfillProgress p, BackfillRecord backfill, DateTimeOffset now)
    {
        var rate = p.Rate(backfill.CreatedAt, backfill.EndedAt ?? now);
        return new(p.Total, p.Done, p.Failed, p.InFlight, p.Pending, p.RunsInFlight, rate is null ? null : Math.Round(rate.Value, 3),
            p.Finished ? 0 : p.Eta(rate)?.TotalSeconds is { } eta ? Math.Round(eta, 1) : null);
    }

    /// <summary>One line: "4/6 done, 0 failed, 2 in flight · 1.20 partitions/s · ETA 2 s".</summary>
    public string Line() =>
        $"{Done}/{Total} done, {Failed} failed, {InFlight} in flight" +
        (RatePerSecond is { } rate ? $" · {rate.ToString("0.00", CultureInfo.InvariantCulture)} partitions/s" : "") +
        (EtaSeconds is { } eta && InFlight + Pending > 0 ? $" · ETA {Duration(eta)}" : "");

    /// <summary>A bar of <paramref name="width"/> cells: '#' done, '!' failed, '-' the rest.</summary>
    public string Bar(int width)
    {
        if (Total == 0) return new string('-', width);
        var done = (int)((long)Done * width / Total);
        var failed = Math.Min(width - done, (int)Math.Ceiling((double)Failed * width / Total));
        return new string('#', done) + new string('!', failed) + new string('-', width - done - failed);
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 90 => $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s",
        < 5400 => $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)} min",
        _ => $"{(seconds / 3600).ToString("0.0", CultureInfo.InvariantCulture)} h",
    };
}

/// <summary>One run of a backfill: its partitions (count, first and last), its status, or why it could not launch.</summary>
public sealed record BackfillRunView(int Chunk, string? RunId, string Status, int Partitions, string FirstPartition, string LastPartition, string? Error)
{
    public static BackfillRunView Of(BackfillRun run) => new(run.Chunk, run.RunId,
        run.LaunchError is not null ? "not_launched" : run.RunId is null ? "pending" : run.Status ?? "launching",
        run.Partitions, run.FirstPartition, run.LastPartition, run.LaunchError);
}
