using System.CommandLine;
using Lakehouse.Core.Tables;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake preview ASSET [--partition K] [--limit N]`: prints the first rows of a table asset.</summary>
internal static class PreviewCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var asset = new Argument<string>("asset") { Description = "A table asset, e.g. silver/fact_telemetry_event or gold/fact_rounds." };
        var partition = new Option<string?>("--partition", "-p") { Description = "Only rows of this partition, e.g. course_id=erinhills,ingest_date=2025-06-01 or erinhills." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many rows.", DefaultValueFactory = _ => 10 };
        var columns = new Option<string[]>("--column", "-c") { Description = "Only these columns (repeatable)." };
        var count = new Option<bool>("--count") { Description = "Print only the number of matching rows." };
        var command = new Command("preview", "Print rows of a table asset.") { asset, partition, limit, columns, count };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var table = await TableResolver.LoadAsync(session.Runtime.Resources.Tables, parse.GetValue(asset)!, ct);
            var filter = parse.GetValue(partition) is { } p ? TableResolver.FilterFor(table, p) : RowFilter.All;
            var wanted = parse.GetValue(columns) is { Length: > 0 } c ? c : null;
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
}
