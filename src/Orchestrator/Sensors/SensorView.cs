using System.Text.Json;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Sensors;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>A sensor as `tmlake sensors --json` and <c>GET /api/sensors</c> show it, with its latest ticks newest first.</summary>
public sealed record SensorView(string Name, string Description, bool Enabled, bool DefaultEnabled, double MinimumIntervalSeconds, string? Cursor,
    IReadOnlyList<SensorTickView> Ticks)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<SensorView> ReadAsync(SensorRunner runner, LakehouseInstance instance, SensorDefinition sensor, int ticks, CancellationToken cancellationToken) =>
        new(sensor.Name, sensor.Description, await runner.IsEnabledAsync(sensor, cancellationToken), sensor.DefaultEnabled, sensor.MinimumInterval.TotalSeconds,
            await instance.Scheduling.GetCursorAsync(sensor.Name, cancellationToken),
            (await instance.Sensors.GetTicksAsync(sensor.Name, ticks, cancellationToken)).Select(SensorTickView.Of).ToList());
}

/// <summary>One recorded tick; <see cref="Skips"/> is a sample of the <see cref="Skipped"/> requests it skipped.</summary>
public sealed record SensorTickView(long Id, DateTimeOffset StartedAt, long DurationMs, string Status, IReadOnlyList<string> RunIds, long Skipped,
    IReadOnlyList<string> Skips, string? Reason, string? Cursor)
{
    public static SensorTickView Of(SensorTick t) =>
        new(t.Id, t.StartedAt, (long)t.Duration.TotalMilliseconds, t.Status, t.RunIds, t.Skipped, t.Skips, t.Reason, t.Cursor);
}
