using System.Data.Common;
using System.Net.Sockets;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>Tells a deterministic failure from a transient one by the exception an asset threw.</summary>
public static class FailureClassifier
{
    public static FailureKind Classify(Exception exception) => exception switch
    {
        // Our own errors carry the whole story (a file, a row, a gate): the same input fails again.
        UserFacingException => FailureKind.Deterministic,
        AggregateException { InnerExceptions.Count: > 0 } all => Worst(all.InnerExceptions),
        FileNotFoundException or DirectoryNotFoundException => FailureKind.Unknown,
        IOException or HttpRequestException or SocketException or TimeoutException => FailureKind.Transient,
        DbException { IsTransient: true } => FailureKind.Transient,
        _ when exception.InnerException is { } inner && inner != exception => Classify(inner) == FailureKind.Transient ? FailureKind.Transient : FailureKind.Unknown,
        _ => FailureKind.Unknown,
    };

    // One deterministic failure among several means retrying cannot succeed.
    private static FailureKind Worst(IEnumerable<Exception> exceptions)
    {
        var kinds = exceptions.Select(Classify).ToList();
        return kinds.Contains(FailureKind.Deterministic) ? FailureKind.Deterministic
            : kinds.All(k => k == FailureKind.Transient) ? FailureKind.Transient
            : FailureKind.Unknown;
    }

    /// <summary>
    /// The exception in one line: our own exceptions carry the whole story in their message; a framework exception
    /// (System.*) also needs its type to be understood.
    /// </summary>
    public static string Describe(Exception ex) => EnvironmentFailure.Describe(ex) ??
        (ex.GetType().Namespace?.StartsWith("System", StringComparison.Ordinal) == true ? $"{ex.GetType().Name}: {ex.Message}" : ex.Message);

    /// <summary>The failed step's metadata: the stack trace, and whether the machine (a full or read-only disk, a server out of reach) rather than the step failed.</summary>
    public static Dictionary<string, MetadataValue> FailureMetadata(Exception ex)
    {
        var metadata = new Dictionary<string, MetadataValue> { ["stack_trace"] = MetadataValue.Text(ex.ToString()) };
        if (EnvironmentFailure.Describe(ex) is not null) metadata[EnvironmentFailure.MetadataKey] = MetadataValue.Text(EnvironmentFailure.MetadataValue);
        return metadata;
    }
}
