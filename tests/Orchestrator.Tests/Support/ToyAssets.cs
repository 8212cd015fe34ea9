using System.Collections.Concurrent;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;

namespace Orchestrator.Tests.Support;

/// <summary>
/// A three-layer toy graph (raw → clean → summary) over static partitions (a and b by default), whose behaviour a test
/// steers: which steps fail, how many attempts fail before a success. It records every call.
/// </summary>
public sealed class ToyAssets(IReadOnlyList<string>? courses = null)
{
    public PartitionsDefinition Courses { get; } = new StaticPartitionsDefinition("course", courses ?? ["a", "b"]);

    public ConcurrentQueue<(string RunId, string Step, int Attempt)> Calls { get; } = new();
    /// <summary>Steps (as text) that throw until removed.</summary>
    public ConcurrentDictionary<string, string> Failing { get; } = new();
    /// <summary>Steps that fail this many times, then succeed.</summary>
    public ConcurrentDictionary<string, int> FailuresBeforeSuccess { get; } = new();
    /// <summary>Steps that fail the way a blocking gate does (a <see cref="Lakehouse.Core.UserFacingException"/>): the same input fails again.</summary>
    public ConcurrentDictionary<string, string> Blocked { get; } = new();
    public RetryPolicy CleanRetry { get; set; } = RetryPolicy.None;
    /// <summary>When set, clean steps wait for it before finishing (to hold a run while a test acts).</summary>
    public TaskCompletionSource? Gate { get; set; }
    /// <summary>The concurrency pool of toy/raw, if any.</summary>
    public string? RawPool { get; set; }
    /// <summary>When set, raw steps wait for it before finishing.</summary>
    public TaskCompletionSource? RawGate { get; set; }

    public IReadOnlyList<AssetDefinition> Definitions() =>
    [
        Define("toy/raw", []),
        Define("toy/clean", [new AssetDependency(new AssetKey("toy/raw"))], CleanRetry),
        Define("toy/summary", [new AssetDependency(new AssetKey("toy/clean"))]),
    ];

    public int CallsOf(string runId, string step) => Calls.Count(c => c.RunId == runId && c.Step == step);

    private AssetDefinition Define(string key, IReadOnlyList<AssetDependency> deps, RetryPolicy? retry = null) =>
        AssetDefinition.Create(new AssetSpec(new AssetKey(key))
        {
            Deps = deps, Partitions = Courses, Group = "toy", Retry = retry ?? RetryPolicy.None, Pool = key == "toy/raw" ? RawPool : null,
        }, async (context, ct) =>
        {
            var step = context.Step.ToString();
            Calls.Enqueue((context.RunId, step, context.Attempt));
            context.Log.Information("toy step {step} attempt {attempt}", step, context.Attempt);
            if (key == "toy/clean" && Gate is { } gate) await gate.Task.WaitAsync(ct);
            if (key == "toy/raw" && RawGate is { } rawGate) await rawGate.Task.WaitAsync(ct);
            if (Failing.TryGetValue(step, out var message)) throw new InvalidOperationException(message);
            if (Blocked.TryGetValue(step, out var refusal)) throw new GateFailure(refusal);
            if (FailuresBeforeSuccess.TryGetValue(step, out var failures) && context.Attempt <= failures)
                throw new IOException($"transient failure {context.Attempt}");
            return new MaterializeResult
            {
                Metadata = new Dictionary<string, MetadataValue>
                {
                    ["rows_out"] = MetadataValue.Int(context.Partition!.Value.Length * 10),
                    ["upstream"] = MetadataValue.Text(string.Join(";", context.UpstreamPartitions.Select(u => $"{u.Key}={string.Join("|", u.Value)}"))),
                },
            };
        });
}

/// <summary>What a blocking check throws: a deterministic failure, never retried.</summary>
public sealed class GateFailure(string message) : Lakehouse.Core.UserFacingException(message);
