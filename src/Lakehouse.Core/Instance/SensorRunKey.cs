namespace Lakehouse.Core.Instance;

/// <summary>A run key a sensor has requested: the run id it was given, and whether that run is stored (false: its launch was cut short).</summary>
public sealed record SensorRunKey(string RunKey, string RunId, bool Launched);

/// <summary>
/// What <see cref="ISensorStore.LookUpRunKeysAsync"/> found: the keys never requested, the keys claimed whose run was never stored
/// (with the run id chosen then), and those launched among the first keys asked (with their run ids); every other key was launched.
/// </summary>
public sealed record SensorRunKeyLookup(IReadOnlySet<string> New, IReadOnlyList<SensorRunKey> Claimed, IReadOnlyList<SensorRunKey> LaunchedSample);
