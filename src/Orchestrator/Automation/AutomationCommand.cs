using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Assets;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Automation;

/// <summary>
/// `tmlake automation` lists the automated assets (condition, on/off); `automation show ASSET [--json]` prints why each of its
/// partitions was or was not requested; `automation on|off ASSET` switches one; `automation tick` evaluates once now.
/// </summary>
internal static class AutomationCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("automation", "List the assets with an automation condition. Subcommands: show, on, off, tick.");
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var daemon = session.Runtime.Automation;
            var rows = new List<IReadOnlyList<string>>();
            foreach (var asset in daemon.AutomatedAssets)
                rows.Add([asset.Value, daemon.Graph.Spec(asset).Automation!.ToString(), await daemon.IsEnabledAsync(asset, ct) ? "on" : "off"]);
            if (rows.Count == 0) session.Out.WriteLine("No asset has an automation condition.");
            else TextTable.Write(session.Out, ["ASSET", "CONDITION", "STATE"], rows);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(Show(environment));
        command.Subcommands.Add(Switch(environment, "on", true));
        command.Subcommands.Add(Switch(environment, "off", false));
        command.Subcommands.Add(Tick(environment));
        return command;
    }

    private static Argument<string> AssetArgument() => new("asset") { Description = "The asset key (e.g. gold/fact_rounds)." };

    private static AssetKey Automated(CliSession session, string text)
    {
        var key = AssetKey.Parse(text);
        var graph = session.Runtime.Graph;
        if (!graph.Contains(key)) throw new CliUserException($"No asset '{text}' (see `tmlake assets`).");
        return key;
    }

    private static Command Show(CliEnvironment environment)
    {
        var asset = AssetArgument();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Show why each partition of an asset was or was not requested by the latest automation ticks.") { asset, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var view = await AutomationView.ReadAsync(session.Runtime.Automation, session.Runtime.Instance, Automated(session, parse.GetValue(asset)!), ct);
            var o = session.Out;
            if (parse.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(view, AutomationView.Json));
                return ExitCodes.Success;
            }
            o.WriteLine($"{view.Asset}  automation: {view.Condition ?? "none"}  {(view.Enabled ? "on" : "off")}  last tick: " +
                        (view.EvaluatedAt is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "never"));
            if (view.Partitions.Count == 0) o.WriteLine(view.Condition is null ? "Materialized only when asked." : "No decisions yet.");
            else
                TextTable.Write(o, ["PARTITION", "REQUESTED", "RUN", "SINCE (UTC)", "WHY"], view.Partitions.Select(p => (IReadOnlyList<string>)
                [
                    p.Partition ?? "-", p.Requested ? "yes" : "no", p.RunId ?? "-", p.DecidedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), p.Reason,
                ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Switch(CliEnvironment environment, string verb, bool enabled)
    {
        var asset = AssetArgument();
        var command = new Command(verb, $"Turn an asset's automation condition {verb}.") { asset };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var key = Automated(session, parse.GetValue(asset)!);
            if (session.Runtime.Graph.Spec(key).Automation is null) throw new CliUserException($"{key} has no automation condition to turn {verb}.");
            await session.Runtime.Instance.Scheduling.SetEnabledAsync(AutomationDaemon.SwitchName(key), enabled, ct);
            session.Out.WriteLine($"Automation of {key} is {verb}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tick(CliEnvironment environment)
    {
        var noWorkers = new Option<bool>("--no-workers") { Description = "With PostgreSQL job storage, leave the launched steps to `tmlake worker` processes." };
        var command = new Command("tick", "Evaluate every automation condition once now and launch what it requests.") { noWorkers };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            var tick = await session.Runtime.Automation.TickAsync(ct);
            if (tick is null)
            {
                session.Out.WriteLine("Another process is evaluating automation; this tick was left to it.");
                return ExitCodes.Success;
            }
            session.Out.WriteLine($"Tick {tick.Id}: {tick.Evaluated} partition(s) evaluated, {tick.Requested} requested{(tick.Error is { } e ? ", error: " + e : "")}");
            var exit = tick.Error is null ? ExitCodes.Success : ExitCodes.Failed;
            foreach (var runId in tick.RunIds)
            {
                session.Out.WriteLine($"launched run {runId}");
                var followed = await RunFollower.FollowAsync(session, runId, ct);
                if (followed != ExitCodes.Success) exit = followed;
            }
            return exit;
        });
        return command;
    }
}
