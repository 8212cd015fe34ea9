using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance;

/// <summary>One attempt of a step as its events tell it: its number, when it started and ended, how it ended and why.</summary>
public sealed record StepAttempt(StepKey Step, int Number, DateTimeOffset StartedAt)
{
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>succeeded, failed, retried, canceled, or running while no end event exists.</summary>
    public string Outcome { get; init; } = "running";
    public string? Reason { get; init; }

    /// <summary>
    /// The attempts of every step of a run, from its events in order: a StepStarted opens an attempt, the next StepRetry,
    /// StepSucceeded, StepFailed or StepCanceled of the step ends it. Read from the event log so no second record can disagree.
    /// </summary>
    public static IReadOnlyDictionary<StepKey, IReadOnlyList<StepAttempt>> Of(IEnumerable<EventRecord> events)
    {
        var attempts = new Dictionary<StepKey, List<StepAttempt>>();
        foreach (var e in events.Where(e => e.Step is not null).OrderBy(e => e.Id))
        {
            var step = e.Step!;
            if (!attempts.TryGetValue(step, out var list)) attempts[step] = list = [];
            if (e.Type == EventType.StepStarted)
            {
                list.Add(new StepAttempt(step, list.Count + 1, e.Timestamp));
                continue;
            }
            var outcome = e.Type switch
            {
                EventType.StepRetry => "retried",
                EventType.StepSucceeded => "succeeded",
                EventType.StepFailed => "failed",
                EventType.StepCanceled => "canceled",
                _ => null,
            };
            if (outcome is null || list.Count == 0 || list[^1].EndedAt is not null) continue;
            list[^1] = list[^1] with { EndedAt = e.Timestamp, Outcome = outcome, Reason = e.Message };
        }
        return attempts.ToDictionary(a => a.Key, a => (IReadOnlyList<StepAttempt>)a.Value);
    }
}
