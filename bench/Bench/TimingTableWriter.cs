using System.Diagnostics;
using Apache.Arrow;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Bench;

/// <summary>Passes batches to a real table writer and adds up the time spent inside it, to split our Silver time into transform and table write.</summary>
internal sealed class TimingTableWriter(ITableWriter inner) : ITableWriter
{
    /// <summary>Time spent in WriteAsync and CommitAsync of the wrapped writer, all instances together.</summary>
    public static long TotalTicks;

    /// <summary>Data files the wrapped writers' commits added, all instances together (small files cost readers and the writer).</summary>
    public static long TotalFiles;

    public async Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try { await inner.WriteAsync(batch, cancellationToken); }
        finally { Add(start); }
    }

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken) => CommitAsync(new Dictionary<string, string>(), cancellationToken);

    public async Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var commit = await inner.CommitAsync(summary, cancellationToken);
            Interlocked.Add(ref TotalFiles, commit.AddedFiles);
            return commit;
        }
        finally { Add(start); }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static void Add(long start)
    {
        Interlocked.Add(ref TotalTicks, Stopwatch.GetElapsedTime(start).Ticks);
    }
}
