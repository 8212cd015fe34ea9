using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Production;

/// <summary>Two days of one course's exports, landed and materialized Bronze → Silver → Gold in a home nothing disturbs: the rows every fault test must end with.</summary>
public sealed class CleanTwoDayLake : IAsyncLifetime, IDisposable
{
    public const string Course = "americanfalls";
    private readonly TmlakeHome _home = new();

    /// <summary>The exports and the ingest date each lands on.</summary>
    public IReadOnlyList<(string File, string Day)> Exports { get; private set; } = [];

    /// <summary>Every row of Silver and of two Gold tables, sorted, as `preview` prints them.</summary>
    public string Rows { get; private set; } = "";

    public static string PartitionOf(string day) => $"course_id={Course},ingest_date={day}";

    public string[] MaterializeArgs(string day) => ["materialize", "-s", "bronze/rounds_raw+", "-p", PartitionOf(day)];

    /// <summary>Both days, Bronze → Silver → Gold, in one run.</summary>
    public string[] MaterializeBothArgs() => ["materialize", "-s", "bronze/rounds_raw+", .. Exports.SelectMany(e => new[] { "-p", PartitionOf(e.Day) })];

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "tmlake-exports-" + Guid.NewGuid().ToString("N")[..10]);
        await _home.OkAsync("sample-data", "--out", data, "--courses", Course, "--rounds", "40");
        var files = Directory.GetFiles(data, $"{Course}_*.csv").Order(StringComparer.Ordinal).ToList();
        Exports = [(files[0], "2025-06-01"), (files[1], "2025-06-02")];
        foreach (var (file, day) in Exports)
            await _home.OkAsync("land", file, "--course", Course, "--ingest-date", day);
        foreach (var (_, day) in Exports) await _home.OkAsync(MaterializeArgs(day));
        Rows = await RowsAsync(_home);
    }

    public static async Task<string> RowsAsync(TmlakeHome home)
    {
        var tables = new[]
        {
            new[] { "preview", "silver/fact_telemetry_event", "-n", "1000000", "-c", "round_id", "-c", "ingest_date", "-c", "location_index", "-c", "fix_timestamp", "-c", "battery_percentage", "-c", "is_cache" },
            ["preview", "gold/fact_rounds", "-n", "1000000"],
            ["preview", "gold/device_health_errors", "-n", "1000000"],
        };
        var all = new List<string>();
        foreach (var args in tables)
        {
            // A header line, the rows in scan order (which differs between runs: files), then "(N row(s) shown from T)".
            var lines = (await home.OkAsync(args)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 2, $"{args[1]} has no rows:\n{string.Join('\n', lines)}");
            all.Add($"{args[1]}: {lines[0]} {lines[^1]}");
            all.AddRange(lines.Skip(1).SkipLast(1).Order(StringComparer.Ordinal));
        }
        return string.Join('\n', all);
    }

    /// <summary>The snapshot history of every table the runs write.</summary>
    public static async Task<string> HistoryAsync(TmlakeHome home)
    {
        var histories = new List<string>();
        foreach (var table in new[] { "silver.fact_telemetry_event", "silver.fact_device_health", "gold.fact_rounds", "gold.device_health_errors" })
            histories.Add(await home.OkAsync("table", "history", table));
        return string.Join("\n", histories);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _home.Dispose();
        var data = Path.GetDirectoryName(Exports.FirstOrDefault().File);
        if (data is not null)
        {
            try { Directory.Delete(data, recursive: true); }
            catch (IOException) { }
        }
    }
}
