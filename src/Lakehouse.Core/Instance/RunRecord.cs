using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>A stored run: what was asked, and where it stands.</summary>
public sealed record RunRecord(string RunId, RunStatus Status, string Selection, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<string> Partitions { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    /// <summary>The run this one re-executes, if any.</summary>
    public string? ParentRunId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>The process (<see cref="ProcessLease.ProcessId"/>) whose memory holds the run's queued steps; null for a durable queue.</summary>
    public string? Owner { get; init; }
}
