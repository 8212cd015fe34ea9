namespace Lakehouse.Core.Instance;

/// <summary>Schedule and sensor state: on/off, ticks, and cursors (what a sensor has already seen).</summary>
public interface ISchedulingStore
{
    /// <summary>Null when never set (the definition's default applies).</summary>
    Task<bool?> GetEnabledAsync(string name, CancellationToken cancellationToken);
    Task SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken);
    Task AddTickAsync(TickRecord tick, CancellationToken cancellationToken);
    Task<IReadOnlyList<TickRecord>> GetTicksAsync(string name, int limit, CancellationToken cancellationToken);
    Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken);
    Task SetCursorAsync(string name, string cursor, CancellationToken cancellationToken);
}
