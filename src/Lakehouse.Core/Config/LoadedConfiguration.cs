namespace Lakehouse.Core.Config;

/// <summary>The options a process runs with, the env file they came from (if any) and what was ignored.</summary>
public sealed record LoadedConfiguration(LakehouseOptions Options, string? EnvFile, IReadOnlyList<string> Warnings);
