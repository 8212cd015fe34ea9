using System.Net.Sockets;
using Lakehouse.Core.Execution.Steps;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class FailureClassifierTests
{
    private sealed class GateFailed() : UserFacingException("Silver gate 'duplicate_rate' failed");

    [Fact]
    public void Classify_TellsDeterministicFromTransientFromUnknown()
    {
        Assert.Equal(FailureKind.Deterministic, FailureClassifier.Classify(new GateFailed()));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new IOException("x")));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new HttpRequestException("x")));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new SocketException()));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new TimeoutException()));
        Assert.Equal(FailureKind.Unknown, FailureClassifier.Classify(new FileNotFoundException("x")));
        Assert.Equal(FailureKind.Unknown, FailureClassifier.Classify(new InvalidOperationException("x")));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new InvalidOperationException("wrapped", new IOException("x"))));
        Assert.Equal(FailureKind.Deterministic, FailureClassifier.Classify(new AggregateException(new IOException("x"), new GateFailed())));
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new AggregateException(new IOException("x"), new TimeoutException())));
    }

    [Fact]
    public void Describe_NamesTheTypeOfFrameworkExceptionsOnly()
    {
        Assert.Equal("IOException: disk full", FailureClassifier.Describe(new IOException("disk full")));
        Assert.Equal("Silver gate 'duplicate_rate' failed", FailureClassifier.Describe(new GateFailed()));
    }
}
