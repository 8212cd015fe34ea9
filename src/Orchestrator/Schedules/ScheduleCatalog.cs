namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>Every schedule of a deployment, by name.</summary>
public sealed class ScheduleCatalog
{
    private readonly Dictionary<string, ScheduleDefinition> _byName;

    public ScheduleCatalog(IEnumerable<ScheduleDefinition> schedules)
    {
        All = schedules.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var repeated = All.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"Schedule name(s) defined more than once: {string.Join(", ", repeated)}.", nameof(schedules));
        _byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ScheduleDefinition> All { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScheduleDefinition? schedule) =>
        _byName.TryGetValue(name, out schedule);

    /// <summary>The schedule, or an exception naming the ones that exist.</summary>
    public ScheduleDefinition Get(string name) => TryGet(name, out var schedule)
        ? schedule
        : throw new ScheduleNotFoundException($"No schedule '{name}'. Schedules: {(All.Count == 0 ? "(none)" : string.Join(", ", All.Select(s => s.Name)))}.");
}
