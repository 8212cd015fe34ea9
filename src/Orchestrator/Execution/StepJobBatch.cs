using System.ComponentModel;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>
/// The Hangfire job that enqueues many step attempts: a launch of ten runs creates this one job in the launching process
/// instead of ten (each costs Hangfire.PostgreSql several round trips), and a worker creates the step jobs. Run twice (a
/// retry after a crash), it makes duplicate step jobs, which claim nothing.
/// </summary>
public sealed class StepJobBatch(IStepQueue queue)
{
    private const char Separator = '\n';

    [DisplayName("Enqueue {0}")]
    public void Enqueue(string[] steps)
    {
        foreach (var text in steps) queue.Enqueue(Parse(text));
    }

    /// <summary>One attempt as the job's argument holds it: run id, step and attempt on three lines (a step key has no line break).</summary>
    public static string Format(QueuedStep step) => $"{step.RunId}{Separator}{step.Step}{Separator}{step.Attempt}";

    public static QueuedStep Parse(string text)
    {
        var parts = text.Split(Separator);
        if (parts.Length != 3 || !int.TryParse(parts[2], out var attempt)) throw new FormatException($"'{text}' is not a queued step (run id, step and attempt on three lines).");
        return new QueuedStep(parts[0], StepKey.Parse(parts[1]), attempt, TimeSpan.Zero);
    }
}
