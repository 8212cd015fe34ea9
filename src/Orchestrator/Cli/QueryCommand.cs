using System.CommandLine;
using System.Globalization;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// `tmlake query "SQL" [--format table|csv|json] [--snapshot TABLE=ID]... [--as-of [TABLE=]TIME]...`: SQL over the tables
/// (silver.fact_telemetry_event, gold.fact_rounds, ...) at their current snapshots, or older ones, with DuckDB.
/// </summary>
internal static class QueryCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var sql = new Argument<string>("sql") { Description = "The query, e.g. \"select course_id, count(*) from silver.fact_telemetry_event group by 1\"." };
        var format = new Option<string>("--format", "-f") { Description = "table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var snapshot = new Option<string[]>("--snapshot") { Description = "Read a table at an older snapshot: TABLE=ID, e.g. silver.fact_telemetry_event=123 (repeatable)." };
        var asOf = new Option<string[]>("--as-of") { Description = "Read tables as they were at a time (UTC): TIME for every table, or TABLE=TIME (repeatable)." };
        var command = new Command("query", "Run SQL (DuckDB) over the live data files of each table's snapshot.") { sql, format, snapshot, asOf };
        command.SetAction(async (parse, ct) =>
        {
            var (selectors, fallback) = Selectors(parse.GetValue(snapshot) ?? [], parse.GetValue(asOf) ?? []);
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var options = session.Options;
            await using var engine = await LakeSqlEngine.OpenAsync(session.Runtime.Resources.Tables, session.Runtime.Resources.Objects,
                Path.Combine(options.Home, "cache", "query"), options.QueryCacheMegabytes * 1024L * 1024L, ct);
            var text = parse.GetValue(sql)!;
            await engine.AttachReferencedAsync(text, selectors, ct, fallback);
            await using var reader = await engine.ExecuteReaderAsync(text, ct);
            await QueryOutput.WriteAsync(reader, parse.GetValue(format)!, session.Out, ct);
            return 0;
        });
        return command;
    }

    private static (Dictionary<TableIdentifier, SnapshotSelector> PerTable, SnapshotSelector Fallback) Selectors(string[] snapshots, string[] asOfs)
    {
        var result = new Dictionary<TableIdentifier, SnapshotSelector>();
        var fallback = SnapshotSelector.Current;
        foreach (var text in snapshots)
        {
            var (table, value) = Split(text, "--snapshot", "TABLE=ID, e.g. silver.fact_telemetry_event=1234");
            if (table is null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new CliUserException($"--snapshot {text}: write TABLE=ID, e.g. --snapshot silver.fact_telemetry_event=1234 (ids: tmlake table history TABLE).");
            Add(result, table, SnapshotSelector.Id(id), text);
        }
        foreach (var text in asOfs)
        {
            var (table, value) = Split(text, "--as-of", "TIME or TABLE=TIME");
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                throw new CliUserException($"--as-of {text}: '{value}' is not a time; write e.g. 2025-06-01T12:00:00Z (UTC unless an offset is given).");
            if (table is null) fallback = SnapshotSelector.At(at);
            else Add(result, table, SnapshotSelector.At(at), text);
        }
        return (result, fallback);
    }

    private static (TableIdentifier? Table, string Value) Split(string text, string option, string expected)
    {
        var eq = text.IndexOf('=');
        if (eq < 0) return (null, text.Trim());
        try
        {
            return (TableIdentifier.Parse(text[..eq].Trim()), text[(eq + 1)..].Trim());
        }
        catch (FormatException e)
        {
            throw new CliUserException($"{option} {text}: {e.Message} Expected {expected}.");
        }
    }

    private static void Add(Dictionary<TableIdentifier, SnapshotSelector> selectors, TableIdentifier table, SnapshotSelector selector, string text)
    {
        if (!selectors.TryAdd(table, selector))
            throw new CliUserException($"{text}: {table} is already read at {selectors[table]}; give one --snapshot or --as-of per table.");
    }
}
