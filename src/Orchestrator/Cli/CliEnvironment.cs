using Lakehouse.Core.Assets;
using TmLakehouse.Orchestrator.Schedules;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>What the CLI runs against: the asset definitions, where it writes, the clock and the process environment.</summary>
public sealed record CliEnvironment(Func<IReadOnlyList<AssetDefinition>> Definitions)
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    /// <summary>The schedules of the deployment (none by default).</summary>
    public Func<IReadOnlyList<ScheduleDefinition>> Schedules { get; init; } = () => [];
    /// <summary>The sensors of the deployment (none by default).</summary>
    public Func<IReadOnlyList<Lakehouse.Core.Sensors.SensorDefinition>> Sensors { get; init; } = () => [];
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>True when <see cref="Out"/> is the process's own stdout and that is a terminal (progress bars redraw in place there).</summary>
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
    /// <summary>The variables to read TM_* settings from (the process environment by default).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = ProcessVariables();

    private static IReadOnlyDictionary<string, string> ProcessVariables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
}
