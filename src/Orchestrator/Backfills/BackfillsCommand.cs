using System.CommandLine;
using System.Globalization;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Backfills;

/// <summary>`tmlake backfills [--json]`: recent backfills, newest first, with their progress.</summary>
internal static class BackfillsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var limit = new Option<int>("--limit") { Description = "How many backfills.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: {\"backfills\": [...]}." };
        var command = new Command("backfills", "List recent backfills with their progress.") { limit, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var views = new List<BackfillView>();
            foreach (var backfill in await session.Runtime.Instance.Backfills.ListAsync(null, parse.GetValue(limit), ct))
                views.Add(await BackfillView.ReadAsync(session.Runtime.Instance, backfill, withRuns: false, session.Runtime.Clock, ct));
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { backfills = views }, BackfillView.Json));
                return ExitCodes.Success;
            }
            if (views.Count == 0) session.Out.WriteLine("No backfills yet: start one with `tmlake backfill --select S --partitions P`.");
            else
                TextTable.Write(session.Out, ["BACKFILL", "STATUS", "SELECTION", "PARTITIONS", "PROGRESS", "CREATED (UTC)"], views.Select(v => (IReadOnlyList<string>)
                [
                    v.BackfillId, v.Status, v.Selection, v.Partitions,
                    $"{v.Progress.Done.ToString(CultureInfo.InvariantCulture)}/{v.Progress.Total.ToString(CultureInfo.InvariantCulture)} done, {v.Progress.Failed} failed, {v.Progress.InFlight} in flight",
                    v.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ]));
            return ExitCodes.Success;
        });
        return command;
    }
}
