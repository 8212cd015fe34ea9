using Lakehouse.Core.Instance;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>The demo's closing table: rounds, Silver rows, quarantined rows and the rows of each Gold table per course, read back from the tables and events.</summary>
internal static class DemoSummary
{
    public static async Task WriteAsync(CliSession session, string runId, IReadOnlyList<string> courses, CancellationToken cancellationToken)
    {
        var tables = session.Runtime.Resources.Tables;
        var quarantined = await QuarantinedByCourseAsync(session.Runtime.Instance.Events, runId, cancellationToken);
        // The four per-round Gold tables (the SQL models of models/gold).
        var gold = new[] { "fact_rounds", "pace_summary_by_round", "signal_quality_rounds", "device_health_errors" }.Select(n => new TableIdentifier("gold", n)).ToList();
        var counts = new Dictionary<TableIdentifier, Dictionary<string, long>>();
        foreach (var table in gold.Prepend(SilverTables.TelemetryEvent.Id)) counts[table] = await RowsByCourseAsync(tables, table, courses, cancellationToken);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var course in courses)
        {
            var rounds = counts[gold[0]].GetValueOrDefault(course);
            var silver = counts[SilverTables.TelemetryEvent.Id].GetValueOrDefault(course);
            var row = new List<string> { course, rounds.ToString("N0"), silver.ToString("N0"), quarantined.GetValueOrDefault(course).ToString("N0") };
            foreach (var table in gold) row.Add(counts[table].GetValueOrDefault(course).ToString("N0"));
            rows.Add(row);
        }
        // One column per Gold table, named after it: a sum of four tables says nothing about any of them.
        TextTable.Write(session.Out, ["COURSE", "ROUNDS", "SILVER_ROWS", "QUARANTINED", .. gold.Select(t => t.ToString())], rows);
    }

    /// <summary>
    /// Rows per course of the table's current snapshot: from the data files' record counts when the table is partitioned by
    /// course (every table here is, and its files only ever hold whole rows: no delete files), else by scanning the column.
    /// </summary>
    private static async Task<Dictionary<string, long>> RowsByCourseAsync(ITableCatalog catalog, TableIdentifier id, IReadOnlyList<string> courses, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var table = await catalog.LoadAsync(id, cancellationToken);
        if (table is null) return counts;
        var files = await table.FilesAsync(null, cancellationToken);
        if (files.All(f => f.PartitionValues.ContainsKey("course_id")))
        {
            foreach (var file in files)
                if (file.PartitionValues["course_id"] is { } course) counts[course] = counts.GetValueOrDefault(course) + file.RecordCount;
            return counts;
        }
        foreach (var course in courses)
        {
            long count = 0;
            await foreach (var batch in table.ScanAsync(new TableScan { Filter = RowFilter.Where(("course_id", course)), Columns = ["course_id"] }, cancellationToken))
                count += batch.Length;
            counts[course] = count;
        }
        return counts;
    }

    private static async Task<Dictionary<string, long>> QuarantinedByCourseAsync(IEventLogStore events, string runId, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>();
        var materializations = await events.QueryAsync(new EventQuery { RunId = runId, Asset = SilverTelemetryAsset.Key, Types = [EventType.Materialization], Limit = 100_000 }, cancellationToken);
        foreach (var e in materializations)
        {
            if (e.Partition is null || !e.Metadata.TryGetValue("rows_quarantined", out var value)) continue;
            var course = e.Partition.Get("course_id");
            result[course] = result.GetValueOrDefault(course) + value.Value.GetInt64();
        }
        return result;
    }
}
