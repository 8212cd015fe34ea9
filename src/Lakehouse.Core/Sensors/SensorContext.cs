using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Sensors;

/// <summary>What an evaluation sees: its cursor (null on the first tick), the lakehouse's resources (instance, object stores) and the clock.</summary>
public sealed record SensorContext(string SensorName, string? Cursor, LakehouseResources Resources, TimeProvider Clock)
{
    /// <summary>True under `sensors tick --dry-run`: requests are printed, nothing is launched or written.</summary>
    public bool DryRun { get; init; }
}
