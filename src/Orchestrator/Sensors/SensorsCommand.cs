using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>
/// `tmlake sensors [--json]` lists sensors (on/off, interval, last tick); `sensors on|off NAME` switches one; `sensors show NAME
/// [--json]` prints its cursor and recent ticks; `sensors tick NAME [--dry-run]` evaluates it once now and follows what it launched.
/// </summary>
internal static class SensorsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("sensors", "List sensors: name, on/off, minimum interval, last tick. Subcommands: on, off, show, tick.") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var runner = session.Runtime.Sensors;
            var views = new List<SensorView>();
            foreach (var sensor in runner.Catalog.All) views.Add(await SensorView.ReadAsync(runner, session.Runtime.Instance, sensor, 1, ct));
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(JsonSerializer.Serialize(views, SensorView.Json));
                return ExitCodes.Success;
            }
            if (views.Count == 0) session.Out.WriteLine("No sensors are defined.");
            else
                TextTable.Write(session.Out, ["NAME", "STATE", "INTERVAL", "LAST TICK (UTC)"], views.Select(v => (IReadOnlyList<string>)
                [
                    v.Name, v.Enabled ? "on" : "off", $"{v.MinimumIntervalSeconds.ToString(CultureInfo.InvariantCulture)} s",
                    v.Ticks.Count == 0 ? "never" : $"{v.Ticks[0].StartedAt:yyyy-MM-dd HH:mm:ss} {v.Ticks[0].Status}{(v.Ticks[0].Reason is { } r ? ": " + r : "")}",
                ]));
            return ExitCodes.Success;
        });
        command.Subcommands.Add(Switch(environment, "on", true));
        command.Subcommands.Add(Switch(environment, "off", false));
        command.Subcommands.Add(Show(environment));
        command.Subcommands.Add(Tick(environment));
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The sensor (from `tmlake sensors`)." };

    private static Command Switch(CliEnvironment environment, string verb, bool enabled)
    {
        var name = NameArgument();
        var command = new Command(verb, $"Turn a sensor {verb}.") { name };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var sensor = session.Runtime.Sensors.Catalog.Get(parse.GetValue(name)!);
            await session.Runtime.Instance.Scheduling.SetEnabledAsync(sensor.Name, enabled, ct);
            session.Out.WriteLine($"Sensor {sensor.Name} is {verb}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliEnvironment environment)
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var limit = new Option<int>("--limit") { Description = "How many ticks.", DefaultValueFactory = _ => 20 };
        var command = new Command("show", "Show a sensor's cursor and recent ticks (launched runs, skips with their reasons, errors).") { name, json, limit };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(limit) < 1) throw new CliUserException($"--limit must be at least 1, not {parse.GetValue(limit)}.");
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var runner = session.Runtime.Sensors;
            var view = await SensorView.ReadAsync(runner, session.Runtime.Instance, runner.Catalog.Get(parse.GetValue(name)!), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(JsonSerializer.Serialize(view, SensorView.Json));
                return ExitCodes.Success;
            }
            var o = session.Out;
            o.WriteLine($"Sensor {view.Name}  {(view.Enabled ? "on" : "off")}  every {view.MinimumIntervalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            if (view.Description.Length > 0) o.WriteLine($"  {view.Description}");
            o.WriteLine($"  cursor: {view.Cursor ?? "(none)"}");
            o.WriteLine();
            if (view.Ticks.Count == 0) o.WriteLine("No ticks yet.");
            else
                TextTable.Write(o, ["TICK (UTC)", "STATUS", "MS", "RUNS", "SKIPPED", "REASON"], view.Ticks.Select(t => (IReadOnlyList<string>)
                [
                    t.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), t.Status, t.DurationMs.ToString(CultureInfo.InvariantCulture),
                    t.RunIds.Count == 0 ? "-" : string.Join(" ", t.RunIds), t.Skipped.ToString(CultureInfo.InvariantCulture), t.Reason ?? "",
                ]));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tick(CliEnvironment environment)
    {
        var name = NameArgument();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the run requests without launching or writing anything." };
        var command = new Command("tick", "Evaluate a sensor once now (on or off) and follow the runs it launches.") { name, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var dry = parse.GetValue(dryRun);
            await using var session = await CliSession.OpenAsync(environment, parse, o => dry ? RuntimeRole.ClientOnly : CliSession.LaunchRole(o, false), ct);
            var runner = session.Runtime.Sensors;
            var sensor = runner.Catalog.Get(parse.GetValue(name)!);
            var evaluation = await runner.EvaluateAsync(sensor, dry, ct);
            var o = session.Out;
            if (dry)
            {
                foreach (var (key, selection, partitions) in evaluation.WouldLaunch)
                    o.WriteLine($"would launch {key}: {selection}{(partitions.Count == 0 ? "" : " " + string.Join(" ", partitions))}");
                foreach (var skip in evaluation.WouldSkip) o.WriteLine($"would skip {skip}");
                foreach (var error in evaluation.Errors) o.WriteLine($"error: {error}");
                if (evaluation.WouldLaunch.Count == 0 && evaluation.WouldSkip.Count == 0 && evaluation.Errors.Count == 0)
                    o.WriteLine($"Nothing to request{(evaluation.NotEvaluated is { } why ? ": " + why : ".")}");
                return evaluation.Errors.Count > 0 ? ExitCodes.Failed : ExitCodes.Success;
            }
            if (evaluation.Tick is not { } tick)
            {
                o.WriteLine(evaluation.NotEvaluated);
                return ExitCodes.Success;
            }
            o.WriteLine($"Tick {tick.Id}: {tick.Status}{(tick.Reason is { } r ? ": " + r : "")}");
            foreach (var skip in tick.Skips) o.WriteLine($"skipped {skip}");
            if (tick.Skipped > tick.Skips.Count) o.WriteLine($"skipped {tick.Skipped - tick.Skips.Count} more");
            var exit = tick.Status == Lakehouse.Core.Instance.SensorTickStatus.Failed ? ExitCodes.Failed : ExitCodes.Success;
            foreach (var runId in tick.RunIds)
            {
                o.WriteLine($"launched run {runId}");
                var followed = await RunFollower.FollowAsync(session, runId, ct);
                if (followed != ExitCodes.Success) exit = followed;
            }
            return exit;
        });
        return command;
    }
}
