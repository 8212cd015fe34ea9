using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Quality;

namespace TmLakehouse.Dashboard.Api;

/// <summary>The body of POST /api/runs.</summary>
public sealed record LaunchRunBody(string? Selection, IReadOnlyList<string>? Partitions, bool AllPartitions, IReadOnlyDictionary<string, string>? Tags);

/// <summary>The answer to a launch or re-execution: the new run's id.</summary>
public sealed record RunCreated(string RunId);

/// <summary>A run as the API shows it; statuses are lower-case (queued, running, succeeded, failed, canceling, canceled).</summary>
public sealed record RunView(string RunId, string Status, string Selection, IReadOnlyList<string> Partitions, IReadOnlyDictionary<string, string> Tags,
    string? ParentRunId, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<StepView>? Steps)
{
    public static RunView Of(RunRecord r, IReadOnlyList<StepRecord>? steps) => new(r.RunId, r.Status.ToString().ToLowerInvariant(), r.Selection, r.Partitions, r.Tags,
        r.ParentRunId, r.CreatedAt, r.StartedAt, r.EndedAt, steps?.Select(StepView.Of).ToList());
}

/// <summary>One step of a run.</summary>
public sealed record StepView(string Step, string Asset, string? Partition, string Status, int Attempt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Error, IReadOnlyList<string> DependsOn)
{
    public static StepView Of(StepRecord s) => new(s.Key.ToString(), s.Key.Asset.Value, s.Key.Partition?.Value, s.Status.ToString().ToLowerInvariant(), s.Attempt,
        s.StartedAt, s.EndedAt, s.Error, s.DependsOn.Select(d => d.ToString()).ToList());
}

/// <summary>
/// A typed metadata value: kind (int, float, text, json, path, tableschema, markdown, id) and its JSON value. An id (a key ending in
/// <c>_id</c>, e.g. <c>snapshot_id</c>) is a string of its exact digits: a JavaScript reader rounds 64-bit numbers past 2^53.
/// </summary>
public sealed record MetadataView(string Kind, JsonElement Value)
{
    public static IReadOnlyDictionary<string, MetadataView> Of(IReadOnlyDictionary<string, MetadataValue> metadata) =>
        metadata.ToDictionary(m => m.Key, m => MetadataValue.IsIdKey(m.Key) && m.Value.Kind == MetadataKind.Int
            ? new MetadataView("id", JsonSerializer.SerializeToElement(m.Value.Display()))
            : new MetadataView(m.Value.Kind.ToString().ToLowerInvariant(), m.Value.Value));
}

/// <summary>An asset check result.</summary>
public sealed record CheckView(string Check, bool Passed, string Severity, bool Blocking, string Description, IReadOnlyDictionary<string, MetadataView> Metadata)
{
    public static CheckView Of(AssetCheckResult c) => new(c.CheckName, c.Passed, c.Severity.ToString().ToLowerInvariant(), c.Blocking, c.Description, MetadataView.Of(c.Metadata));
}

/// <summary>One event of the event log.</summary>
public sealed record EventView(long Id, string Type, DateTimeOffset Timestamp, string RunId, string? Step, string Level, string Message,
    IReadOnlyDictionary<string, MetadataView> Metadata, CheckView? Check)
{
    public static EventView Of(EventRecord e) => new(e.Id, e.Type.ToString(), e.Timestamp, e.RunId, e.Step?.ToString(), e.Level, e.Message,
        MetadataView.Of(e.Metadata), e.Check is null ? null : CheckView.Of(e.Check));
}

/// <summary>The latest state of one partition (or of an unpartitioned asset).</summary>
public sealed record PartitionStatusView(string? Partition, string State, string RunId, DateTimeOffset UpdatedAt, DateTimeOffset? LastMaterializedAt);

/// <summary>
/// An asset: its spec, partition counts by state, and one page of its partitions' latest status (<see cref="PartitionsAfter"/>
/// names the partition to ask the next page after, when there is one).
/// </summary>
public sealed record AssetView(string Key, string Group, string Description, IReadOnlyList<string> Deps, IReadOnlyList<string> Dependents,
    IReadOnlyList<string>? PartitionDimensions, IReadOnlyList<string> Checks, string Status, IReadOnlyList<PartitionStatusView>? Partitions)
{
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();
    public string? PartitionsAfter { get; init; }
}

/// <summary>A quarantine report with its URL-safe id.</summary>
public sealed record QuarantineView(string Id, string Key, QuarantineReport Report);
