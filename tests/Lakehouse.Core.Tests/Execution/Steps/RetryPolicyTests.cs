using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class RetryPolicyTests
{
    [Fact]
    public void DelayBefore_DoublesByDefault_UpToTheMaximum()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(2)) { MaxDelay = TimeSpan.FromSeconds(10) };
        Assert.Equal([2, 4, 8, 10, 10], Enumerable.Range(1, 5).Select(r => policy.DelayBefore(r).TotalSeconds));
    }

    [Fact]
    public void DelayBefore_GrowsLinearlyOrStaysConstant_WhenAsked()
    {
        var linear = new RetryPolicy(3, TimeSpan.FromSeconds(1)) { Backoff = RetryBackoff.Linear };
        var constant = linear with { Backoff = RetryBackoff.Constant };
        Assert.Equal([1, 2, 3], Enumerable.Range(1, 3).Select(r => linear.DelayBefore(r).TotalSeconds));
        Assert.Equal([1, 1, 1], Enumerable.Range(1, 3).Select(r => constant.DelayBefore(r).TotalSeconds));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.None.DelayBefore(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => linear.DelayBefore(0));
    }
}
