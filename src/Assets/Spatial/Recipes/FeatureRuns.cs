namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// An external sort of processed rows: rows gather in memory up to <see cref="RunBytes"/>, are sorted (key, then feature index)
/// and written to a run file on local disk; reading merges the runs. Memory holds one run while writing and one row per run
/// while reading, whatever the layer's size (LANDING_AND_SPATIAL §3, the spatial index over a layer larger than memory).
/// </summary>
internal sealed class FeatureRuns : IDisposable
{
    /// <summary>About 16 MiB of WKB and JSON per run: 100,000 small polygons make a handful of runs.</summary>
    public const long RunBytes = 16L * 1024 * 1024;

    private static readonly Comparison<ProcessedRow> Order = (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Index.CompareTo(b.Index);

    private readonly List<ProcessedRow> _buffer = [];
    private readonly List<string> _files = [];
    private string? _folder;
    private long _bytes;

    public void Add(ProcessedRow row)
    {
        _buffer.Add(row);
        _bytes += row.Wkb.Length + row.Properties.Length * 2L + 48;
        if (_bytes >= RunBytes) Spill();
    }

    /// <summary>The rows in order: the last run stays in memory, the others are read back from disk.</summary>
    public IEnumerable<ProcessedRow> Merged()
    {
        _buffer.Sort(Order);
        if (_files.Count == 0)
        {
            foreach (var row in _buffer) yield return row;
            yield break;
        }
        var sources = new List<IEnumerator<ProcessedRow>>();
        try
        {
            foreach (var file in _files) sources.Add(Read(file).GetEnumerator());
            sources.Add(_buffer.GetEnumerator());
            var heads = new PriorityQueue<int, ProcessedRow>(Comparer<ProcessedRow>.Create(Order));
            for (var i = 0; i < sources.Count; i++)
                if (sources[i].MoveNext()) heads.Enqueue(i, sources[i].Current);
            while (heads.TryDequeue(out var i, out var row))
            {
                yield return row;
                if (sources[i].MoveNext()) heads.Enqueue(i, sources[i].Current);
            }
        }
        finally
        {
            foreach (var source in sources) source.Dispose();
        }
    }

    private void Spill()
    {
        _folder ??= Directory.CreateTempSubdirectory("tm-vector-runs-").FullName;
        _buffer.Sort(Order);
        var path = Path.Combine(_folder, $"run-{_files.Count:D5}.bin");
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(_buffer.Count);
            foreach (var row in _buffer)
            {
                writer.Write(row.Key);
                writer.Write(row.Index);
                writer.Write(row.Properties);
                writer.Write(row.Wkb.Length);
                writer.Write(row.Wkb);
            }
        }
        _files.Add(path);
        _buffer.Clear();
        _bytes = 0;
    }

    private static IEnumerable<ProcessedRow> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new BinaryReader(stream);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadInt64();
            var index = reader.ReadInt32();
            var properties = reader.ReadString();
            var wkb = reader.ReadBytes(reader.ReadInt32());
            yield return new ProcessedRow(key, index, properties, wkb);
        }
    }

    public void Dispose()
    {
        _buffer.Clear();
        if (_folder is not null && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
