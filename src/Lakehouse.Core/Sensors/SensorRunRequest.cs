using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Sensors;

/// <summary>
/// One run a sensor asks for, under a <see cref="RunKey"/> that launches at most once. <see cref="Prepare"/>, when given, runs after
/// the key is claimed and before the launch, with the run's id (e.g. to land files whose ledger rows name that run), and returns the
/// request to launch; it must be safe to run again with the same id, since a launch cut short is completed by a later tick.
/// </summary>
public sealed record SensorRunRequest(string RunKey, RunRequest Request)
{
    public Func<string, CancellationToken, Task<RunRequest>>? Prepare { get; init; }
}
