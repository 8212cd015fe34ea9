using System.CommandLine;
using Lakehouse.Core.Config;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>`tmlake serve [--port 3000] [--host H] [--no-workers]`: the dashboard, REST API, Hangfire dashboard and schedules in one process.</summary>
public static class ServeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var port = new Option<int>("--port") { Description = "The TCP port.", DefaultValueFactory = _ => 3000 };
        var host = new Option<string?>("--host") { Description = "The address to bind (default 127.0.0.1; another address needs TM_API_KEY)." };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("serve", "Serve the dashboard and REST API (and, by default, run steps and schedules in this process).") { port, host, noWorkers };
        command.SetAction(async (parse, ct) =>
        {
            var options = CliSession.LoadOptions(environment, parse);
            var settings = Settings(parse.GetValue(host), parse.GetValue(port), options);
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)), ct);
            DashboardApp.RegisterSchedules(session.Runtime);
            await using var app = DashboardApp.Build(session.Runtime, settings);
            await app.StartAsync(ct);
            session.Out.WriteLine($"TmLakehouse dashboard on {string.Join(", ", app.Urls)} (API under /api, OpenAPI at /openapi/v1.json, jobs at /hangfire). Ctrl+C stops it.");
            if (!settings.KeyRequired) session.Out.WriteLine("No TM_API_KEY: listening on loopback only; changes need no key.");
            // The web host handles SIGINT/SIGTERM itself (and swallows them), so wait for whichever comes first: the host
            // stopping on a signal, or the command line's own cancellation; then stop the app before the runtime goes.
            await app.WaitForShutdownAsync(ct);
            session.Out.WriteLine("Stopping: finishing the steps in hand.");
            return 0;
        });
        return command;
    }

    /// <summary>Without an API key the server binds only to loopback: anyone who can reach it could launch runs.</summary>
    public static DashboardSettings Settings(string? host, int port, LakehouseOptions options)
    {
        if (port is < 0 or > 65535) throw new CliUserException($"--port {port} is not a TCP port.");
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey;
        var address = string.IsNullOrWhiteSpace(host) ? "127.0.0.1" : host.Trim();
        var loopback = address is "127.0.0.1" or "localhost" or "::1" or "[::1]";
        if (!loopback && key is null)
            throw new CliUserException($"--host {address} would expose the server beyond this machine: set TM_API_KEY first (mutations then need it).");
        return new DashboardSettings(address, port, key);
    }
}
