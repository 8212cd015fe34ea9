using System.CommandLine;
using System.Globalization;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake quarantine list [--asset A] [--run R]` and `tmlake quarantine show REPORT [--json]`: the rows set aside and why.</summary>
internal static class QuarantineCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var asset = new Option<string?>("--asset") { Description = "Only reports of this asset, e.g. silver/fact_telemetry_event." };
        var run = new Option<string?>("--run") { Description = "Only reports of this run." };
        var list = new Command("list", "Every quarantine report, newest first: asset, partition, rows in and out, reasons.") { asset, run };
        list.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var writer = new QuarantineWriter(session.Runtime.Resources.Objects);
            var reports = new List<(string Key, QuarantineReport Report)>();
            foreach (var key in await writer.ListReportKeysAsync("", ct)) reports.Add((key, await writer.ReadAsync(key, ct)));
            var shown = reports
                .Where(r => parse.GetValue(asset) is not { } a || r.Report.Asset == a.Trim())
                .Where(r => parse.GetValue(run) is not { } id || r.Report.RunId == id.Trim())
                .OrderByDescending(r => r.Report.CreatedAt).ToList();
            if (shown.Count == 0)
            {
                session.Out.WriteLine(reports.Count == 0 ? "No quarantine reports." : $"No quarantine report matches ({reports.Count} in all).");
                return 0;
            }
            TextTable.Write(session.Out, ["CREATED (UTC)", "ASSET", "PARTITION", "ROWS IN", "QUARANTINED", "OUTCOME", "REPORT"], shown.Select(r => (IReadOnlyList<string>)
            [
                r.Report.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Report.Asset,
                r.Report.Partition.Count == 0 ? "-" : string.Join(",", r.Report.Partition.Select(p => $"{p.Key}={p.Value}")),
                r.Report.RowsIn.ToString(CultureInfo.InvariantCulture), r.Report.RowsQuarantined.ToString(CultureInfo.InvariantCulture),
                r.Report.StepFailed ? "step failed" : "rows set aside", r.Key,
            ]));
            session.Out.WriteLine($"({shown.Count} report(s); details: tmlake quarantine show REPORT)");
            return 0;
        });

        var report = new Argument<string>("report") { Description = "A report key as `tmlake quarantine list` prints it (…/run_id=…/report.json)." };
        var json = new Option<bool>("--json") { Description = "Print the report itself (JSON)." };
        var show = new Command("show", "One quarantine report: why rows were set aside, thresholds, sample rows, the rows file.") { report, json };
        show.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var key = parse.GetValue(report)!.Trim();
            QuarantineReport r;
            try
            {
                r = await new QuarantineWriter(session.Runtime.Resources.Objects).ReadAsync(key, ct);
            }
            catch (ObjectNotFoundException)
            {
                throw new CliUserException($"There is no quarantine report '{key}' (the keys: tmlake quarantine list).");
            }
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(r, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var output = session.Out;
            var quarantine = session.Runtime.Resources.Objects.For(Layers.Quarantine);
            output.WriteLine($"report       {key}");
            output.WriteLine($"asset        {r.Asset} (step {r.Step})");
            output.WriteLine($"run          {r.RunId}");
            output.WriteLine($"created      {r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z");
            output.WriteLine($"rows         {r.RowsQuarantined} of {r.RowsIn} quarantined{(r.StepFailed ? "; the step failed" : "")}");
            if (r.Error is not null) output.WriteLine($"error        {r.Error}");
            foreach (var input in r.InputPaths) output.WriteLine($"input        {input}");
            if (r.ReasonCounts.Count > 0)
            {
                output.WriteLine("reasons");
                foreach (var (reason, count) in r.ReasonCounts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
                    output.WriteLine($"  {count,10}  {reason}");
            }
            foreach (var (name, limit) in r.Thresholds.OrderBy(t => t.Key, StringComparer.Ordinal))
                output.WriteLine($"threshold    {name} = {limit.ToString(CultureInfo.InvariantCulture)}");
            if (r.RowsFile is not null) output.WriteLine($"rows file    {quarantine.LocationOf(r.RowsFile)}");
            if (r.SampleRows.Count > 0)
            {
                output.WriteLine($"sample rows ({r.SampleRows.Count})");
                var columns = r.SampleRows.SelectMany(s => s.Keys).Distinct().ToList();
                TextTable.Write(output, columns, r.SampleRows.Select(s => (IReadOnlyList<string>)columns.Select(c => s.TryGetValue(c, out var v) ? Cell(v) : "").ToList()));
            }
            return 0;
        });
        return new Command("quarantine", "Rows set aside by checks and the reports that say why.") { list, show };
    }

    private static string Cell(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => value.GetString() ?? "",
        System.Text.Json.JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
