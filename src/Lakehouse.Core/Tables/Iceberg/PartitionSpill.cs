using Apache.Arrow;
using Apache.Arrow.Ipc;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Rows of partitions that have no open data file, clustered by partition on local disk so that each is written once, at the
/// end, into its own file(s). Rows are buffered per partition up to <see cref="BufferedRows"/> in all; then the buffer is
/// spilled as one run: an Arrow IPC file under the staging folder holding one batch per partition, indexed so a partition's
/// batches can be read back from every run without reading the others'. Memory is bounded by the buffer, disk by the data.
/// </summary>
internal sealed class PartitionSpill(LocalStaging staging, Schema schema) : IDisposable
{
    /// <summary>
    /// About 10 MB of Silver rows. Concurrent partitions (TM_WORKERS, default one per core) each hold one such buffer, and the
    /// process's memory is the budget: 128k rows (~40 MB) each put the pilot's `tmlake materialize` at 428-446 MB peak RSS;
    /// 32k rows with 6 open files and a 24k-row row-group budget, 370 MB (pilot) and 280 MB against 357 MB (360 shuffled
    /// days), for the same CPU-s (load 24-40, single runs). Smaller runs mean more, smaller read-backs per partition.
    /// </summary>
    public const int BufferedRows = 32 * 1024;

    private sealed class Partition(object?[] values)
    {
        public object?[] Values { get; } = values;
        public List<RecordBatch> Buffered { get; } = [];
        /// <summary>Columns of the buffered batches that the writer gathered (native memory this spill must free), not the caller's.</summary>
        public List<IArrowArray> Owned { get; } = [];
        /// <summary>(run, batch index in that run) of every spilled batch, in arrival order.</summary>
        public List<(int Run, int Batch)> Spilled { get; } = [];
    }

    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly List<string> _runs = [];
    private int _bufferedRows;

    /// <summary>Whether rows of this partition were spilled: all its later rows must be too, so that it gets a single file.</summary>
    public bool Holds(string key) => _partitions.ContainsKey(key);

    public IReadOnlyCollection<string> Keys => _partitions.Keys;

    /// <summary>Spill runs written so far.</summary>
    public int Runs => _runs.Count;

    public object?[] PartitionOf(string key) => _partitions[key].Values;

    /// <summary>Buffers a partition's rows; <paramref name="owned"/> are the batch's columns the spill frees once they are written.</summary>
    public void Add(string key, object?[] partition, RecordBatch batch, IEnumerable<IArrowArray> owned)
    {
        if (!_partitions.TryGetValue(key, out var p)) _partitions[key] = p = new Partition(partition);
        p.Buffered.Add(batch);
        p.Owned.AddRange(owned);
        _bufferedRows += batch.Length;
        if (_bufferedRows >= BufferedRows) SpillRun();
    }

    private void SpillRun()
    {
        var run = _runs.Count;
        var path = staging.NewPath("spill", ".arrow");
        _runs.Add(path);
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new ArrowFileWriter(stream, schema))
        {
            var index = 0;
            foreach (var p in _partitions.Values)
            {
                if (p.Buffered.Count == 0) continue;
                var batch = Concatenate(p.Buffered);
                writer.WriteRecordBatch(batch);
                if (p.Buffered.Count > 1) batch.Dispose(); // the concatenation is ours
                p.Buffered.Clear();
                Release(p);
                p.Spilled.Add((run, index++));
            }
            writer.WriteEnd();
        }
        _bufferedRows = 0;
    }

    /// <summary>
    /// A partition's rows in the order they were added (its batch of every run, then what is still buffered), combined into
    /// batches of at least <paramref name="minRows"/> rows where it has them. Each run holds only a few hundred rows of a partition
    /// when rows spread over hundreds of days, and Parquet's per-call cost on a batch that small (profile of 360 shuffled days:
    /// malloc, Status and dynamic_cast in the native writer beside the encoding itself) outweighed the encoding.
    /// </summary>
    public async IAsyncEnumerable<RecordBatch> ReadAsync(string key, int minRows, Readers readers, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var p = _partitions[key];
        var parts = new List<RecordBatch>();
        var read = new List<RecordBatch>();
        var rows = 0;
        var at = 0;
        var total = p.Spilled.Count + p.Buffered.Count;
        while (at < total)
        {
            if (at < p.Spilled.Count)
            {
                var (run, batch) = p.Spilled[at];
                var reader = readers.Of(run, _runs[run]);
                var next = await reader.ReadRecordBatchAsync(batch, cancellationToken)
                           ?? throw new InvalidDataException($"Spill run {_runs[run]} has no batch {batch}.");
                read.Add(next);
                parts.Add(next);
            }
            else parts.Add(p.Buffered[at - p.Spilled.Count]);
            rows += parts[^1].Length;
            at++;
            if (rows < minRows && at < total) continue;
            var combined = Concatenate(parts);
            // The caller has encoded it by the time it asks for the next one.
            try
            {
                yield return combined;
            }
            finally
            {
                if (parts.Count > 1) combined.Dispose();
                foreach (var r in read) r.Dispose();
                read.Clear();
                parts.Clear();
                rows = 0;
            }
        }
        p.Buffered.Clear();
        Release(p);
    }

    /// <summary>
    /// Frees the gathered columns of batches that are now on disk or encoded: left to Arrow's finalizers they kept the
    /// finalizer thread busy for seconds of a 360-day write (profile: SharedMemoryHandle.Finalize 1.8 of 17.8 s).
    /// </summary>
    private static void Release(Partition p)
    {
        foreach (var array in p.Owned) array.Dispose();
        p.Owned.Clear();
    }

    private RecordBatch Concatenate(List<RecordBatch> batches)
    {
        if (batches.Count == 1) return batches[0];
        var arrays = new IArrowArray[schema.FieldsList.Count];
        for (var c = 0; c < arrays.Length; c++)
            arrays[c] = ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList(), ManagedArrowMemory.Instance);
        return new RecordBatch(schema, arrays, batches.Sum(b => b.Length));
    }

    /// <summary>
    /// Open readers of the spill runs, one set per thread that reads partitions back: partitions are written to Parquet
    /// concurrently (one per core), and an Arrow file reader is a position in a stream, not to be shared.
    /// </summary>
    public sealed class Readers : IDisposable
    {
        private readonly Dictionary<int, ArrowFileReader> _open = [];

        public ArrowFileReader Of(int run, string path)
        {
            if (!_open.TryGetValue(run, out var reader))
                _open[run] = reader = new ArrowFileReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), ManagedArrowMemory.Instance);
            return reader;
        }

        public void Dispose()
        {
            foreach (var reader in _open.Values) reader.Dispose();
            _open.Clear();
        }
    }

    public void Dispose()
    {
        foreach (var run in _runs) File.Delete(run);
        _runs.Clear();
        foreach (var p in _partitions.Values) Release(p);
        _partitions.Clear();
    }
}
