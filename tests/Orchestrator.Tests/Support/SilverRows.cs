using Apache.Arrow;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Support;

/// <summary>What Silver holds after runs that workers shared or repeated, read back from its table.</summary>
internal static class SilverRows
{
    /// <summary>Each partition's rows in Silver equal its last materialization's rows_out, and no (round_id, location_index) repeats.</summary>
    public static async Task AssertEachPartitionOnceAsync(LakehouseRuntime client, IReadOnlyList<EventRecord> materialized,
        IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        var table = await client.Resources.Tables.LoadAsync(SilverTables.TelemetryEvent.Id, cancellationToken)
            ?? throw new InvalidOperationException("silver.fact_telemetry_event does not exist after the run.");
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var keys = new HashSet<(string Partition, string Round, int Location)>();
        long duplicates = 0;
        await foreach (var batch in table.ScanAsync(new TableScan { Columns = ["course_id", "ingest_date", "round_id", "location_index"] }, cancellationToken))
        {
            var course = (StringArray)batch.Column("course_id");
            var day = (Date32Array)batch.Column("ingest_date");
            var round = (StringArray)batch.Column("round_id");
            var location = (Int32Array)batch.Column("location_index");
            for (var r = 0; r < batch.Length; r++)
            {
                var partition = BronzePartitions.KeyOf(course.GetString(r), DateOnly.FromDateTime(day.GetDateTime(r)!.Value));
                rows[partition] = rows.GetValueOrDefault(partition) + 1;
                if (!keys.Add((partition, round.GetString(r) ?? "", location.GetValue(r) ?? -1))) duplicates++;
            }
        }
        Assert.Equal(0, duplicates);
        Assert.Equal(partitions.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var partition in partitions)
        {
            var last = materialized.Where(e => e.Step!.Asset == SilverTelemetryAsset.Key && e.Step.Partition!.Value == partition).MaxBy(e => e.Timestamp)!;
            Assert.Equal(last.Metadata["rows_out"].Value.GetInt64(), rows[partition]);
        }
    }
}
