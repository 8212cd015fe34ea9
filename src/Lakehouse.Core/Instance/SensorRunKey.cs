namespace Lakehouse.Core.Instance;

/// <summary>A run key a sensor has requested: the run id it was given, and whether that run is stored (false: its launch was cut short).</summary>
public sealed record SensorRunKey(string RunKey, string RunId, bool Launched);
