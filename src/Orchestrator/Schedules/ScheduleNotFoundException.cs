namespace TmLakehouse.Orchestrator.Schedules;

/// <summary>A schedule name that no definition has; the message lists the names that exist.</summary>
public sealed class ScheduleNotFoundException(string message) : Exception(message);
