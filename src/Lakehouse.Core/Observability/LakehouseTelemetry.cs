using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lakehouse.Core.Observability;

/// <summary>The ActivitySource (a span per run and per step) and the Meter (step counters and durations) of the lakehouse.</summary>
public static class LakehouseTelemetry
{
    public const string Name = "TmLakehouse";

    public static ActivitySource Source { get; } = new(Name);
    public static Meter Meter { get; } = new(Name);

    public static Counter<long> StepsStarted { get; } = Meter.CreateCounter<long>("tmlake.steps.started", description: "Steps that began an attempt.");
    public static Counter<long> StepsSucceeded { get; } = Meter.CreateCounter<long>("tmlake.steps.succeeded", description: "Steps that succeeded.");
    public static Counter<long> StepsFailed { get; } = Meter.CreateCounter<long>("tmlake.steps.failed", description: "Step attempts that failed.");
    public static Histogram<double> StepDuration { get; } = Meter.CreateHistogram<double>("tmlake.step.duration", unit: "ms", description: "Duration of a step attempt.");
}
