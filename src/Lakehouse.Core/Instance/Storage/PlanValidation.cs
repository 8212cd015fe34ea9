using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>Checks a new run's plan before it is stored, so a broken plan fails at creation rather than hanging the run.</summary>
internal static class PlanValidation
{
    public static void Check(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        if (string.IsNullOrWhiteSpace(run.RunId)) throw new ArgumentException("A run id cannot be empty.", nameof(run));
        var keys = new HashSet<StepKey>();
        foreach (var step in steps)
        {
            if (step.RunId != run.RunId)
                throw new ArgumentException($"Step '{step.Key}' belongs to run '{step.RunId}', not to run '{run.RunId}'.", nameof(steps));
            if (step.Status is not (StepStatus.Pending or StepStatus.Succeeded))
                throw new ArgumentException($"Step '{step.Key}' of run '{run.RunId}' is {step.Status}: a new plan holds only Pending steps (and Succeeded ones when re-executing).", nameof(steps));
            if (!keys.Add(step.Key))
                throw new ArgumentException($"Step '{step.Key}' appears twice in the plan of run '{run.RunId}'.", nameof(steps));
        }
        foreach (var step in steps)
            foreach (var dep in step.DependsOn)
                if (!keys.Contains(dep))
                    throw new ArgumentException($"Step '{step.Key}' of run '{run.RunId}' depends on '{dep}', which is not in the plan.", nameof(steps));
    }
}
