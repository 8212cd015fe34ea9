using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Execution;

namespace Orchestrator.Tests.Execution;

/// <summary>
/// A launch's first steps go out as one <see cref="StepJobBatch"/> job on durable storage: the job's argument must name each
/// attempt exactly (run, step with its partition, attempt), a worker must make one step job per attempt in order, and a
/// retry's delayed attempt must still become its own scheduled job rather than ride in the batch and run early.
/// </summary>
public sealed class StepJobBatchTests
{
    [Theory]
    [InlineData("silver/fact_telemetry_event[erinhills|2025-06-01]", 1)]
    [InlineData("gold/fact_rounds", 3)]
    [InlineData("bronze/rounds[a[b]]", 12)]
    public void FormatThenParse_GivesBackTheSameAttempt(string step, int attempt)
    {
        var queued = new QueuedStep("run-0042", StepKey.Parse(step), attempt, TimeSpan.Zero);

        var parsed = StepJobBatch.Parse(StepJobBatch.Format(queued));

        Assert.Equal(queued, parsed);
        Assert.Equal(step, parsed.Step.ToString());
    }

    [Theory]
    [InlineData("run-1\ngold/fact_rounds")]
    [InlineData("run-1\ngold/fact_rounds\nfirst")]
    [InlineData("run-1\ngold/fact_rounds\n1\nextra")]
    public void Parse_RejectsTextThatIsNotAnAttempt_AndQuotesIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => StepJobBatch.Parse(text));

        Assert.Contains(text, error.Message);
    }

    [Fact]
    public void Enqueue_HandsEachNamedAttemptToTheQueue_InOrder_DueNow()
    {
        var steps = new[] { Step("toy/raw[a]", 1), Step("toy/raw[b]", 2), Step("toy/summary", 1) };
        var queue = new RecordingQueue();

        new StepJobBatch(queue).Enqueue(steps.Select(StepJobBatch.Format).ToArray());

        Assert.Equal(steps, queue.Enqueued);
    }

    [Fact]
    public void ManyAttemptsDueNow_OnBatchingStorage_BecomeOneBatchJob_AndADelayedRetryStaysItsOwnScheduledJob()
    {
        var client = new RecordingJobClient();
        var due = new[] { Step("toy/raw[a]", 1), Step("toy/raw[b]", 1), Step("toy/raw[c]", 1) };
        var retry = Step("toy/raw[d]", 2) with { Delay = TimeSpan.FromSeconds(30) };

        new HangfireStepQueue(client, "steps", batch: true).EnqueueMany([due[0], retry, due[1], due[2]]);

        Assert.Equal(2, client.Created.Count);
        var (batchJob, batchState) = client.Created[0];
        Assert.Equal(typeof(StepJobBatch), batchJob.Type);
        Assert.Equal("steps", Assert.IsType<EnqueuedState>(batchState).Queue);
        var named = ((string[])batchJob.Args[0]!).Select(StepJobBatch.Parse).ToArray();
        Assert.Equal(due, named);

        var (retryJob, retryState) = client.Created[1];
        Assert.Equal(typeof(StepJob), retryJob.Type);
        Assert.Equal(["run-7", "toy/raw[d]", 2], retryJob.Args.Take(3).ToArray());
        Assert.IsType<ScheduledState>(retryState);
    }

    [Fact]
    public void OneAttemptDueNow_OrStorageThatDoesNotBatch_GetsOneStepJobEach()
    {
        var single = new RecordingJobClient();
        new HangfireStepQueue(single, "steps", batch: true).EnqueueMany([Step("toy/raw[a]", 1)]);
        Assert.Equal([typeof(StepJob)], single.Created.Select(c => c.Job.Type));

        var unbatched = new RecordingJobClient();
        new HangfireStepQueue(unbatched, "steps", batch: false).EnqueueMany([Step("toy/raw[a]", 1), Step("toy/raw[b]", 1)]);
        Assert.Equal([typeof(StepJob), typeof(StepJob)], unbatched.Created.Select(c => c.Job.Type));
        Assert.Equal(["toy/raw[a]", "toy/raw[b]"], unbatched.Created.Select(c => (string)c.Job.Args[1]!));
    }

    private static QueuedStep Step(string step, int attempt) => new("run-7", StepKey.Parse(step), attempt, TimeSpan.Zero);

    private sealed class RecordingQueue : IStepQueue
    {
        public List<QueuedStep> Enqueued { get; } = [];

        public void Enqueue(QueuedStep step) => Enqueued.Add(step);
    }

    /// <summary>Stands in for Hangfire's storage: these tests check which jobs the queue asks for, not how they are stored.</summary>
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add((job, state));
            return Created.Count.ToString();
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new NotSupportedException();
    }
}
