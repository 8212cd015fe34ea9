using System.CommandLine;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake table history TABLE` and `tmlake table files TABLE [--snapshot ID]`: what the Iceberg metadata says.</summary>
internal static class TableCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("table", "Inspect an Iceberg table: its snapshot history and its data files.");
        command.Subcommands.Add(History(environment));
        command.Subcommands.Add(Files(environment));
        return command;
    }

    private static Command History(CliEnvironment environment)
    {
        var table = new Argument<string>("table") { Description = "silver.fact_telemetry_event or silver/fact_telemetry_event." };
        var command = new Command("history", "Snapshots, newest last: id, time, operation, rows added/removed, total rows, and the run, asset and partition that wrote each.") { table };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var lake = await TableResolver.LoadAsync(session.Runtime.Resources.Tables, parse.GetValue(table)!, ct);
            var history = await lake.HistoryAsync(ct);
            TextTable.Write(session.Out,
                ["SNAPSHOT", "PARENT", "TIME (UTC)", "OPERATION", "RUN", "ASSET", "PARTITION", "ADDED ROWS", "DELETED ROWS", "TOTAL ROWS", "FILES", "CURRENT"],
                history.Select(s => (IReadOnlyList<string>)
                [
                    s.SnapshotId.ToString(), s.ParentSnapshotId?.ToString() ?? "-", s.Timestamp.ToString("yyyy-MM-dd HH:mm:ss"), s.Operation,
                    Get(s.Summary, "tm.run-id"), Get(s.Summary, "tm.asset"), Get(s.Summary, "tm.partition"),
                    Get(s.Summary, "added-records"), Get(s.Summary, "deleted-records"), Get(s.Summary, "total-records"), Get(s.Summary, "total-data-files"),
                    s.IsCurrent ? "*" : "",
                ]));
            return 0;
        });
        return command;
    }

    private static Command Files(CliEnvironment environment)
    {
        var table = new Argument<string>("table") { Description = "silver.fact_telemetry_event or silver/fact_telemetry_event." };
        var snapshot = new Option<long?>("--snapshot") { Description = "A snapshot id (default: the current one)." };
        var command = new Command("files", "The live data files of a snapshot: path, partition, rows, bytes.") { table, snapshot };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var lake = await TableResolver.LoadAsync(session.Runtime.Resources.Tables, parse.GetValue(table)!, ct);
            var files = await lake.FilesAsync(parse.GetValue(snapshot), ct);
            TextTable.Write(session.Out, ["PARTITION", "ROWS", "BYTES", "PATH"], files.Select(f => (IReadOnlyList<string>)
            [
                string.Join(",", f.PartitionValues.Select(p => $"{p.Key}={p.Value}")), f.RecordCount.ToString(), f.SizeInBytes.ToString(), f.Path,
            ]));
            session.Out.WriteLine($"{files.Count} file(s), {files.Sum(f => f.RecordCount):N0} rows, {files.Sum(f => f.SizeInBytes) / 1024.0 / 1024.0:0.0} MiB");
            return 0;
        });
        return command;
    }

    private static string Get(IReadOnlyDictionary<string, string> summary, string key) => summary.TryGetValue(key, out var v) ? v : "-";
}
