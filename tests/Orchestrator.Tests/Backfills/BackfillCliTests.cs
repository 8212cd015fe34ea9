using System.Text.Json;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Support;
using TestSupport;

namespace Orchestrator.Tests.Backfills;

/// <summary>
/// Issue 11's backfill done-when as a user meets it, through the real `tmlake` program: from the sample data, a 2-course ×
/// 3-day backfill given as a range completes and `backfill show --json` reports 6/6; a bad range exits 2 with one `error:`
/// line and stores nothing. Run on the embedded instance and on PostgreSQL by the subclasses.
/// </summary>
public abstract class BackfillCliTests(LandedBackfillHome landed) : IAsyncLifetime
{
    private static readonly string[] Courses = LandedBackfillHome.Courses;
    private static readonly string[] Days = LandedBackfillHome.Days;

    private TmlakeHome? _home;

    private TmlakeHome Home => _home ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>A fresh, empty home on this class's backend.</summary>
    protected abstract Task<TmlakeHome> CreateHomeAsync();

    public async Task InitializeAsync() => _home = await landed.GetAsync(CreateHomeAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string[]> BackfillIdsAsync() =>
        JsonDocument.Parse(await Home.OkAsync("backfills", "--json")).RootElement.GetProperty("backfills").EnumerateArray()
            .Select(b => b.GetProperty("backfill_id").GetString()!).ToArray();

    [Fact]
    public async Task Backfill_OfTwoCoursesByThreeDaysGivenAsARange_Completes_AndShowJsonReportsSixOfSix()
    {
        var before = await BackfillIdsAsync();
        var output = await Home.OkAsync("backfill", "--select", "silver/fact_telemetry_event",
            "--partitions", "course_id=*,ingest_date=2025-06-01..2025-06-03", "--max-concurrent-runs", "2");

        Assert.Contains("6 partition(s) in 6 run(s), at most 2 at a time", output, StringComparison.Ordinal);
        Assert.Contains("completed", output, StringComparison.Ordinal);
        var id = Assert.Single((await BackfillIdsAsync()).Except(before));
        using var shown = JsonDocument.Parse(await Home.OkAsync("backfill", "show", id, "--json"));
        var backfill = shown.RootElement;
        Assert.Equal("completed", backfill.GetProperty("status").GetString());
        var progress = backfill.GetProperty("progress");
        Assert.Equal((6, 6, 0, 0), (progress.GetProperty("total").GetInt32(), progress.GetProperty("done").GetInt32(),
            progress.GetProperty("failed").GetInt32(), progress.GetProperty("in_flight").GetInt32()));
        var runs = backfill.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        var partitions = runs.Select(r => r.GetProperty("first_partition").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Courses.SelectMany(c => Days.Select(d => $"course_id={c},ingest_date={d}")).Order(StringComparer.Ordinal), partitions);
        // Each run is tagged with its backfill and materialized its one partition.
        var runsJson = JsonDocument.Parse(await Home.OkAsync("runs", "--json", "--limit", "100")).RootElement.GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("tags").TryGetProperty("backfill", out var tag) && tag.GetString() == id).ToList();
        Assert.Equal(6, runsJson.Count);
        Assert.All(runsJson, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("course_id=*,ingest_date=2025-06-03..2025-06-01", "ends before it starts")]
    [InlineData("course_id=nosuch|erinhills", "has no course_id 'nosuch'")]
    [InlineData("course_id=2025-06-01..2025-06-02", "A..B ranges are for date dimensions")]
    [InlineData("course_id=*,ingest_date=2020-01-01..2020-01-02", "matches no existing partition")]
    [InlineData("course_id=a/b", "cannot hold '/'")]
    [InlineData("colour=*", "names dimensions no selected asset has")]
    public async Task Backfill_OfABadRange_ExitsTwoWithOneErrorLine_AndStoresNothing(string range, string expected)
    {
        var runs = await Home.OkAsync("runs", "--json");
        var backfills = await Home.OkAsync("backfills", "--json");

        var result = await Home.RunAsync("backfill", "--select", "silver/fact_telemetry_event", "--partitions", range);

        Assert.True(result.Exit == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(backfills, await Home.OkAsync("backfills", "--json"));
        Assert.Equal(runs, await Home.OkAsync("runs", "--json"));
    }

    [Fact]
    public async Task MaterializeWithARange_PlansEveryPartitionItSpans_ThroughTheSameParser()
    {
        var output = await Home.OkAsync("materialize", "--select", "silver/fact_telemetry_event", "-p", "course_id=erinhills|pinehurst4,ingest_date=2025-06-02..2025-06-03");

        Assert.Contains(": 4 step(s).", output, StringComparison.Ordinal);
        var refused = await Home.RunAsync("materialize", "--select", "silver/fact_telemetry_event", "-p", "course_id=*,ingest_date=2025-06-03..2025-06-01");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("ends before it starts", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
    }
}

/// <summary>The backfill CLI on the embedded default (SQLite instance, in-process workers).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EmbeddedBackfillCliTests(LandedBackfillHome landed) : BackfillCliTests(landed), IClassFixture<LandedBackfillHome>
{
    protected override Task<TmlakeHome> CreateHomeAsync() => Task.FromResult(new TmlakeHome());
}

/// <summary>The backfill CLI on a PostgreSQL instance and job storage (the fixture's server; objects in a local folder).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackfillCliTests(PostgresServerFixture postgres, LandedBackfillHome landed) : BackfillCliTests(landed), IClassFixture<LandedBackfillHome>
{
    protected override async Task<TmlakeHome> CreateHomeAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tmlake-bf-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var envFile = Path.Combine(folder, "postgres.env");
        await File.WriteAllLinesAsync(envFile, ["TM_INSTANCE_STORE=postgres", $"TM_POSTGRES={await postgres.CreateDatabaseAsync()}"]);
        return new TmlakeHome { EnvFile = envFile };
    }
}
