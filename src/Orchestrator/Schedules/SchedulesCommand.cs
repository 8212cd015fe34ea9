using System.CommandLine;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>`tmlake schedules` lists schedules (cron, on/off, next and last tick); `tmlake schedules on|off NAME` switches one.</summary>
public static class SchedulesCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("schedules", "List schedules: name, cron, on/off, next tick, last tick. `schedules on|off NAME` switches one.");
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var runner = session.Runtime.Schedules;
            var rows = new List<IReadOnlyList<string>>();
            foreach (var schedule in runner.Catalog.All)
            {
                var last = (await session.Runtime.Instance.Scheduling.GetTicksAsync(schedule.Name, 1, ct)).FirstOrDefault();
                rows.Add(
                [
                    schedule.Name, schedule.Cron, schedule.Selection,
                    await runner.IsEnabledAsync(schedule, ct) ? "on" : "off",
                    runner.NextTick(schedule)?.ToString("yyyy-MM-dd HH:mm") ?? "-",
                    last is null ? "never" : $"{last.Timestamp:yyyy-MM-dd HH:mm} {last.Status}{(last.Error is null ? "" : ": " + last.Error)}",
                ]);
            }
            if (rows.Count == 0) session.Out.WriteLine("No schedules are defined.");
            else TextTable.Write(session.Out, ["NAME", "CRON (UTC)", "SELECTION", "STATE", "NEXT TICK (UTC)", "LAST TICK"], rows);
            return 0;
        });
        command.Subcommands.Add(Switch(environment, "on", true));
        command.Subcommands.Add(Switch(environment, "off", false));
        return command;
    }

    private static Command Switch(CliEnvironment environment, string verb, bool enabled)
    {
        var name = new Argument<string>("name") { Description = "The schedule (from `tmlake schedules`)." };
        var command = new Command(verb, $"Turn a schedule {verb}.") { name };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var catalog = session.Runtime.Schedules.Catalog;
            var text = parse.GetValue(name)!;
            if (!catalog.TryGet(text, out var schedule))
                throw new CliUserException($"No schedule '{text}'. Schedules: {(catalog.All.Count == 0 ? "(none)" : string.Join(", ", catalog.All.Select(s => s.Name)))}.");
            await session.Runtime.Instance.Scheduling.SetEnabledAsync(schedule.Name, enabled, ct);
            session.Out.WriteLine($"Schedule {schedule.Name} is {verb}.");
            return 0;
        });
        return command;
    }
}
