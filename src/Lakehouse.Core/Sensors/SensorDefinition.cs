namespace Lakehouse.Core.Sensors;

/// <summary>
/// A sensor: a function over a cursor that returns run requests, each with a run key, so the same key never launches twice.
/// Ticks come no more often than <see cref="MinimumInterval"/>; a sensor never switched on or off runs when <see cref="DefaultEnabled"/>.
/// </summary>
public sealed record SensorDefinition(string Name, TimeSpan MinimumInterval, Func<SensorContext, CancellationToken, Task<SensorResult>> Evaluate)
{
    public bool DefaultEnabled { get; init; } = true;
    public string Description { get; init; } = "";

    /// <summary>
    /// How long one evaluation's hold on the sensor lasts without a renewal. It is renewed every third of it while the evaluation
    /// runs (a heartbeat), so a long evaluation keeps it and another process takes over within this time of a holder being killed.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long ticks are kept.</summary>
    public TimeSpan TickRetention { get; init; } = TimeSpan.FromDays(7);
}
