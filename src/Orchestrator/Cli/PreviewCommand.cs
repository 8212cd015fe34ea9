using System.CommandLine;
using Lakehouse.Core.Tables;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// `tmlake preview ASSET [--partition K] [--where SQL] [--limit N]`: prints the first rows of a table asset. A --where condition is
/// SQL (DuckDB) over the table's columns, so the preview goes through the same engine as `tmlake query`.
/// </summary>
internal static class PreviewCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var asset = new Argument<string>("asset") { Description = "A table asset, e.g. silver/fact_telemetry_event or gold/fact_rounds." };
        var partition = new Option<string?>("--partition", "-p") { Description = "Only rows of this partition, e.g. course_id=erinhills,ingest_date=2025-06-01 or erinhills." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many rows.", DefaultValueFactory = _ => 10 };
        var columns = new Option<string[]>("--column", "-c") { Description = "Only these columns (repeatable)." };
        var count = new Option<bool>("--count") { Description = "Print only the number of matching rows." };
        var where = new Option<string?>("--where", "-w") { Description = "Only rows matching this SQL condition, e.g. \"hole_number = 7 and battery_level < 20\"." };
        var command = new Command("preview", "Print rows of a table asset.") { asset, partition, where, limit, columns, count };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var table = await TableResolver.LoadAsync(session.Runtime.Resources.Tables, parse.GetValue(asset)!, ct);
            var filter = parse.GetValue(partition) is { } p ? TableResolver.FilterFor(table, p) : RowFilter.All;
            var wanted = parse.GetValue(columns) is { Length: > 0 } c ? c : null;
            if (parse.GetValue(where) is { } condition)
                return await WhereAsync(session, table, filter, condition, wanted, parse.GetValue(count), Math.Max(1, parse.GetValue(limit)), ct);
            var scan = new TableScan { Filter = filter, Columns = wanted };
            if (parse.GetValue(count))
            {
                long total = 0;
                await foreach (var batch in table.ScanAsync(scan, ct)) total += batch.Length;
                session.Out.WriteLine(total);
                return 0;
            }
            var max = Math.Max(1, parse.GetValue(limit));
            var header = (wanted ?? table.Schema.Fields.Select(f => f.Name).ToArray()).ToList();
            var rows = new List<IReadOnlyList<string>>();
            await foreach (var batch in table.ScanAsync(scan, ct))
            {
                for (var r = 0; r < batch.Length && rows.Count < max; r++)
                    rows.Add(header.Select(name => ArrowText.Cell(batch.Column(batch.Schema.GetFieldIndex(name)), r)).ToList());
                if (rows.Count >= max) break;
            }
            TextTable.Write(session.Out, header, rows);
            session.Out.WriteLine($"({rows.Count} row(s) shown from {table.Id})");
            return 0;
        });
        return command;
    }

    private static async Task<int> WhereAsync(CliSession session, ILakeTable table, RowFilter filter, string condition, string[]? columns, bool count, int limit, CancellationToken ct)
    {
        var options = session.Options;
        await using var engine = await Lakehouse.Core.Sql.LakeSqlEngine.OpenAsync(session.Runtime.Resources.Tables, session.Runtime.Resources.Objects,
            Path.Combine(options.Home, "cache", "query"), options.QueryCacheMegabytes * 1024L * 1024L, ct);
        var terms = filter.ColumnEquals.Select(t => $"\"{t.Key}\" = '{QueryOutput.Text(t.Value, full: true).Replace("'", "''", StringComparison.Ordinal)}'");
        var select = count ? "count(*) as rows" : columns is null ? "*" : string.Join(", ", columns.Select(c => $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
        var sql = $"select {select} from {table.Id} where ({condition}){string.Concat(terms.Select(t => " and " + t))}{(count ? "" : $" limit {limit}")}";
        await engine.AttachReferencedAsync(sql, new Dictionary<TableIdentifier, Lakehouse.Core.Sql.SnapshotSelector>(), ct, Lakehouse.Core.Sql.SnapshotSelector.Current);
        await using var reader = await engine.ExecuteReaderAsync(sql, ct);
        if (count)
        {
            await reader.ReadAsync(ct);
            session.Out.WriteLine(reader.GetInt64(0));
            return 0;
        }
        await QueryOutput.WriteAsync(reader, "table", session.Out, ct);
        return 0;
    }
}
