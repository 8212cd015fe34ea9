using System.CommandLine;
using Lakehouse.Core.Config;
using TmLakehouse.Orchestrator.Cli;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// `tmlake serve [--port 3000] [--host H | --urls U] [--no-workers]`: the dashboard, REST API, Hangfire dashboard and schedules in
/// one process. Without TM_API_KEY it serves loopback only, however the address is given.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var port = new Option<int?>("--port") { Description = $"The TCP port (default {ListenUrls.DefaultPort})." };
        var host = new Option<string?>("--host") { Description = $"The address to bind (default {ListenUrls.DefaultHost}; another address needs TM_API_KEY)." };
        var urls = new Option<string?>("--urls") { Description = "ASP.NET-style URLs to bind, ';'-separated (also ASPNETCORE_URLS); beyond loopback they need TM_API_KEY." };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Leave the steps to `tmlake worker` processes (PostgreSQL mode)." };
        var command = new Command("serve", "Serve the dashboard and REST API (and, by default, run steps and schedules in this process).") { port, host, urls, noWorkers };
        command.SetAction(async (parse, ct) =>
        {
            var options = CliSession.LoadOptions(environment, parse);
            var settings = Settings(parse.GetValue(urls), parse.GetValue(host), parse.GetValue(port), options, environment.Variables);
            await using var session = await CliSession.OpenAsync(environment, parse, o => CliSession.LaunchRole(o, parse.GetValue(noWorkers)) with { RunsTicks = true }, ct);
            DashboardApp.RegisterSchedules(session.Runtime);
            await using var app = DashboardApp.Build(session.Runtime, settings);
            var bound = await DashboardHost.StartAsync(app, ct);
            if (!settings.KeyRequired) session.Out.WriteLine("No TM_API_KEY: listening on loopback only; changes need no key.");
            else if (settings.AllowedHosts.Count == 0 && bound.Any(u => !ListenUrls.IsLoopback(u)))
                session.Out.WriteLine("Requests are answered for loopback names and the bound address only; set TM_ALLOWED_HOSTS=name[,name] for the names users type.");
            session.Out.WriteLine($"TmLakehouse dashboard on {string.Join(", ", bound)} (API under /api, OpenAPI at /openapi/v1.json, jobs at /hangfire). Ctrl+C stops it.");
            // The web host handles SIGINT/SIGTERM itself (and swallows them), so wait for whichever comes first: the host
            // stopping on a signal, or the command line's own cancellation; then stop the app before the runtime goes.
            await app.WaitForShutdownAsync(ct);
            session.Out.WriteLine("Stopping: finishing the steps in hand.");
            return 0;
        });
        return command;
    }

    /// <summary>Without an API key the server binds only to loopback: anyone who can reach it could launch runs.</summary>
    public static DashboardSettings Settings(string? urls, string? host, int? port, LakehouseOptions options, IReadOnlyDictionary<string, string> variables)
    {
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey;
        var (resolved, source) = ListenUrls.Resolve(urls, host, port, variables);
        ListenUrls.RequireLoopbackWithoutKey(resolved, key is not null, source);
        return new DashboardSettings(resolved, key) { AllowedHosts = options.AllowedHosts };
    }
}
