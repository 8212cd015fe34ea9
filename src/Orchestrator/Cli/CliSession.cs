using System.CommandLine;
using Lakehouse.Core.Config;
using Serilog.Core;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Logging;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>One command's view of the lakehouse: options from the env file and variables, the process log, and the runtime.</summary>
public sealed class CliSession : IAsyncDisposable
{
    private CliSession(CliEnvironment environment, LakehouseOptions options, Logger log, LakehouseRuntime runtime, TelemetryExporters telemetry)
    {
        Environment = environment;
        Options = options;
        Log = log;
        Runtime = runtime;
        Telemetry = telemetry;
    }

    public CliEnvironment Environment { get; }
    public LakehouseOptions Options { get; }
    public Logger Log { get; }
    public LakehouseRuntime Runtime { get; }
    public TelemetryExporters Telemetry { get; }
    public TextWriter Out => Environment.Out;

    /// <summary>Loads options (the --env-file or TM_ENV_FILE, then the variables over it) and opens the runtime in the given role.</summary>
    public static async Task<CliSession> OpenAsync(CliEnvironment environment, ParseResult parse, Func<LakehouseOptions, RuntimeRole> role, CancellationToken cancellationToken)
    {
        var options = LoadOptions(environment, parse);
        var log = ProcessLog.Create(options, environment.Variables, environment.Error);
        var telemetry = new TelemetryExporters(options);
        try
        {
            var runtime = await LakehouseRuntime.OpenAsync(options, environment.Definitions(), role(options), log, environment.Clock, cancellationToken, environment.Schedules(),
                sensors: environment.Sensors());
            return new CliSession(environment, options, log, runtime, telemetry);
        }
        catch
        {
            telemetry.Dispose();
            await log.DisposeAsync();
            throw;
        }
    }

    /// <summary>The options (the --env-file or TM_ENV_FILE, then the variables over it), each warning about them printed.</summary>
    public static LakehouseOptions LoadOptions(CliEnvironment environment, ParseResult parse)
    {
        var loaded = LoadConfiguration(environment, parse);
        foreach (var warning in loaded.Warnings) environment.Error.WriteLine($"warning: {warning}");
        return loaded.Options;
    }

    /// <summary>The options and their warnings, nothing printed.</summary>
    public static LoadedConfiguration LoadConfiguration(CliEnvironment environment, ParseResult parse) =>
        LakehouseConfiguration.Load(parse.GetValue(TmlakeCli.EnvFileOption)?.FullName, environment.Variables, Directory.GetCurrentDirectory());

    /// <summary>
    /// Commands that launch runs execute steps in-process by default (the embedded mode has no other workers); with PostgreSQL
    /// job storage, --no-workers leaves the steps to `tmlake worker` processes.
    /// </summary>
    public static RuntimeRole LaunchRole(LakehouseOptions options, bool noWorkers) =>
        noWorkers && options.InstanceStore == StoreKind.Postgres ? RuntimeRole.ClientOnly : RuntimeRole.Workers(options.Workers);

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        Telemetry.Dispose();
        await Log.DisposeAsync();
    }
}
