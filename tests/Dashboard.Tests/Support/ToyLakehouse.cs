using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Dashboard.Tests.Support;

/// <summary>
/// A toy three-layer graph (bronze/toy_raw → silver/toy → gold/toy_summary) over course × ingest date, whose row counts and
/// failures a test steers. Each materialization reports rows_out and a table schema.
/// </summary>
public sealed class ToyLakehouse
{
    public static readonly PartitionsDefinition Partitions = new MultiPartitionsDefinition(
    [
        ("course_id", new StaticPartitionsDefinition("course_id", ["alpha", "beta"])),
        ("ingest_date", new StaticPartitionsDefinition("ingest_date", ["2025-06-01", "2025-06-02"])),
    ]);

    /// <summary>The rows_out every materialization of silver/toy reports.</summary>
    public long SilverRows { get; set; } = 1234;
    /// <summary>Steps (as text) that throw this message.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Failing { get; } = new();

    /// <summary>While set, every step waits for it (or for its cancellation), so a run stays running.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>
    /// Materializes bronze/toy_raw for the partitions (every one when none is given) and waits: a run of silver/toy alone is
    /// refused at launch until its upstream has been materialized once.
    /// </summary>
    public static async Task MaterializeBronzeAsync(TmLakehouse.Orchestrator.Hosting.LakehouseRuntime runtime, params string[] partitions)
    {
        var runId = await runtime.Coordinator.LaunchAsync(new RunRequest("bronze/toy_raw") { Partitions = partitions, AllPartitions = partitions.Length == 0 }, CancellationToken.None);
        var run = await TmLakehouse.Orchestrator.Execution.RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(20),
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        if (run.Status != RunStatus.Succeeded) throw new InvalidOperationException($"bronze/toy_raw run {runId} ended {run.Status}.");
    }

    public IReadOnlyList<AssetDefinition> Definitions() =>
    [
        Define("bronze/toy_raw", [], "Landed toy files, byte for byte.", () => 10),
        Define("silver/toy", ["bronze/toy_raw"], "Cleaned toy rows.", () => SilverRows),
        Define("gold/toy_summary", ["silver/toy"], "One row per toy course.", () => 2),
    ];

    private AssetDefinition Define(string key, string[] deps, string description, Func<long> rows) =>
        AssetDefinition.Create(new AssetSpec(new AssetKey(key))
        {
            Deps = deps.Select(d => new AssetDependency(new AssetKey(d))).ToList(),
            Partitions = Partitions,
            Description = description,
        }, async (context, cancellationToken) =>
        {
            context.Log.Information("materializing {step}", context.Step.ToString());
            if (Hold is { } hold) await hold.Task.WaitAsync(cancellationToken);
            if (Failing.TryGetValue(context.Step.ToString(), out var message)) throw new InvalidOperationException(message);
            return new MaterializeResult
            {
                Metadata = new Dictionary<string, MetadataValue>
                {
                    ["rows_out"] = MetadataValue.Int(rows()),
                    ["path"] = MetadataValue.Path($"{key}/{context.Partition!.Value}"),
                    ["schema"] = MetadataValue.TableSchema([new TableColumnInfo("round_id", "string", false), new TableColumnInfo("score", "int", true)]),
                },
            };
        });
}
