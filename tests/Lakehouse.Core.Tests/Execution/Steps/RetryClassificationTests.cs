using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution.Steps;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class RetryClassificationTests
{
    private sealed class BadInput(string message) : UserFacingException(message);

    private static readonly RetryPolicy TwoRetries = new(2, TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Run_RetriesATransientFailure_WithTheBackoffOfTheAttempt()
    {
        var link = new RetryClassification(FakeRunner.Throwing(new IOException("disk hiccup")));

        var first = await link.RunAsync(Context(Definition("t/a", TwoRetries), attempt: 1), CancellationToken.None);
        var second = await link.RunAsync(Context(Definition("t/a", TwoRetries), attempt: 2), CancellationToken.None);

        Assert.Equal((StepResultKind.Retry, TimeSpan.FromSeconds(3)), (first.Kind, first.RetryDelay));
        Assert.Contains("IOException: disk hiccup", first.Error);
        Assert.Contains("retry 1 of 2 in 3 s", first.Error);
        Assert.Equal((StepResultKind.Retry, TimeSpan.FromSeconds(6)), (second.Kind, second.RetryDelay));
    }

    [Fact]
    public async Task Run_FailsADeterministicFailure_AtOnce_EvenWithRetriesLeft()
    {
        var result = await new RetryClassification(FakeRunner.Throwing(new BadInput("a.csv line 3: no header")))
            .RunAsync(Context(Definition("t/a", TwoRetries)), CancellationToken.None);

        Assert.Equal((StepResultKind.Failed, "a.csv line 3: no header"), (result.Kind, result.Error));
        Assert.Contains("BadInput", result.Metadata["stack_trace"].Display());
    }

    [Fact]
    public async Task Run_FailsTheStep_WhenTheRetriesAreUsedUp()
    {
        var result = await new RetryClassification(FakeRunner.Throwing(new HttpRequestException("connection reset")))
            .RunAsync(Context(Definition("t/a", TwoRetries), attempt: 3), CancellationToken.None);

        Assert.Equal((StepResultKind.Failed, "HttpRequestException: connection reset"), (result.Kind, result.Error));
    }

    [Fact]
    public async Task Run_WithoutARetryPolicy_FailsEvenATransientFailure()
    {
        var result = await new RetryClassification(FakeRunner.Throwing(new IOException("gone")))
            .RunAsync(Context(Definition("t/a")), CancellationToken.None);
        Assert.Equal(StepResultKind.Failed, result.Kind);
    }

    [Fact]
    public async Task Run_LeavesAResultAlone_AndACancellationToTheLinksOutside()
    {
        var failed = Lakehouse.Core.Execution.Steps.StepResult.Failed("Blocking check(s) failed: x");
        Assert.Same(failed, await new RetryClassification(FakeRunner.Returning(failed)).RunAsync(Context(Definition("t/a", TwoRetries)), CancellationToken.None));

        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        await Assert.ThrowsAsync<IOException>(() =>
            new RetryClassification(FakeRunner.Throwing(new IOException("stream aborted"))).RunAsync(Context(Definition("t/a", TwoRetries)), canceled.Token));
    }
}
