using Lakehouse.Core;
using Lakehouse.Core.Sensors;

namespace TmLakehouse.Orchestrator.Sensors;

/// <summary>Every sensor of a deployment, by name.</summary>
public sealed class SensorCatalog
{
    private readonly Dictionary<string, SensorDefinition> _byName;

    public SensorCatalog(IEnumerable<SensorDefinition> sensors)
    {
        All = sensors.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var repeated = All.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"Sensor name(s) defined more than once: {string.Join(", ", repeated)}.", nameof(sensors));
        _byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SensorDefinition> All { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SensorDefinition? sensor) => _byName.TryGetValue(name, out sensor);

    /// <summary>The sensor, or a user-facing error naming the ones that exist.</summary>
    public SensorDefinition Get(string name) => TryGet(name, out var sensor)
        ? sensor
        : throw new SensorNotFoundException($"No sensor '{name}'. Sensors: {(All.Count == 0 ? "(none)" : string.Join(", ", All.Select(s => s.Name)))}.");
}

/// <summary>A sensor name no definition has.</summary>
public sealed class SensorNotFoundException(string message) : UserFacingException(message);
