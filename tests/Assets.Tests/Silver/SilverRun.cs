using System.Text;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

/// <summary>Runs the transform over in-memory or on-disk files and hands back the result and the rows it wrote.</summary>
internal static class SilverRun
{
    public static readonly DateOnly IngestDate = new(2025, 6, 1);

    /// <summary>Where the transform's dedup spills its keys: a folder per test process under the temp folder.</summary>
    public static readonly LocalStaging Staging = new(Path.Combine(Path.GetTempPath(), "tmlake-silver-tests"));

    public sealed record Outcome(SilverResult Result, List<Dictionary<string, object?>> Rows, List<Dictionary<string, object?>> Health);

    public static SilverInput Text(string name, string content) => Bytes(name, Encoding.UTF8.GetBytes(content));

    public static SilverInput Bytes(string name, byte[] content) => new(name, _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false)));

    public static Task<Outcome> CsvAsync(string courseId, params string[] files) =>
        RunAsync(files.Select((f, i) => Text($"{courseId}_rounds_{i}.csv", f)).ToList(), courseId);

    public static async Task<Outcome> RunAsync(IReadOnlyList<SilverInput> inputs, string courseId, SilverGates? gates = null)
    {
        var telemetry = new CollectingTable(SilverTables.TelemetryEvent);
        var health = new CollectingTable(SilverTables.DeviceHealth);
        await using var tw = telemetry.NewAppend();
        await using var hw = health.NewAppend();
        var result = await SilverTransform.RunAsync(inputs, courseId, IngestDate, tw, hw, gates ?? new SilverGates(), Staging, CancellationToken.None);
        await tw.CommitAsync(CancellationToken.None);
        await hw.CommitAsync(CancellationToken.None);
        return new Outcome(result, telemetry.Rows.ToList(), health.Rows.ToList());
    }

    /// <summary>A CSV with round columns then <paramref name="slots"/> location slots of the given fields.</summary>
    public static string Header(string roundColumns, int slots, string locationFields) =>
        roundColumns + string.Concat(Enumerable.Range(0, slots).SelectMany(i => locationFields.Split(',').Select(f => $",locations[{i}].{f}")));
}
