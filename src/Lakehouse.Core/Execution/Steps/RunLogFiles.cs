using Serilog;
using Serilog.Core;
using Serilog.Formatting.Compact;

namespace Lakehouse.Core.Execution.Steps;

/// <summary>
/// The run log files (compact JSON, one per run under TM_HOME/logs/runs) this process writes, kept open between the steps
/// of a run: opening a file and its cross-process lock for every step cost more than a trivial step itself. Each file is
/// written in Serilog's shared mode, so several processes append to one run's file safely; beyond a few, the least recently
/// used files that no step is writing are closed.
/// </summary>
public sealed class RunLogFiles(string folder) : IDisposable
{
    private const int KeptOpen = 8;

    private readonly Dictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private long _uses;

    public string Folder { get; } = folder;

    /// <summary>The logger that appends to the run's file; give it back with <see cref="Release"/> when the step ends.</summary>
    public Entry Acquire(string runId)
    {
        var path = Path.Combine(Folder, $"{runId}.json");
        lock (_open)
        {
            // A file removed while it was idle (a log cleanup) is opened again, not written through a stale handle.
            if (_open.TryGetValue(path, out var entry) && (entry.Users > 0 || File.Exists(path)))
            {
                entry.Users++;
                entry.LastUse = ++_uses;
                return entry;
            }
            if (entry is not null) Close(path, entry);
            CloseIdleBeyond(KeptOpen - 1);
            Directory.CreateDirectory(Folder);
            entry = new Entry(new LoggerConfiguration().MinimumLevel.Verbose()
                .WriteTo.File(new CompactJsonFormatter(), path, shared: true).CreateLogger()) { Users = 1, LastUse = ++_uses };
            _open.Add(path, entry);
            return entry;
        }
    }

    public void Release(Entry entry)
    {
        lock (_open) entry.Users--;
    }

    public void Dispose()
    {
        lock (_open)
        {
            foreach (var entry in _open.Values) entry.Logger.Dispose();
            _open.Clear();
        }
    }

    private void CloseIdleBeyond(int count)
    {
        while (_open.Count > count && _open.Where(p => p.Value.Users == 0).OrderBy(p => p.Value.LastUse).FirstOrDefault() is { Key: not null } idle)
            Close(idle.Key, idle.Value);
    }

    private void Close(string path, Entry entry)
    {
        _open.Remove(path);
        entry.Logger.Dispose();
    }

    /// <summary>One open run file and how many steps of this process are writing to it.</summary>
    public sealed class Entry(Logger logger)
    {
        public Logger Logger { get; } = logger;
        internal int Users { get; set; }
        internal long LastUse { get; set; }
    }
}
