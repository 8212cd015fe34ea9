using System.Diagnostics;
using System.Globalization;

namespace Lakehouse.Core.Objects;

/// <summary>
/// Where a process keeps files on local disk on their way to or from an object store (Parquet files being written, remote
/// objects copied for random access, spill files): <c>TM_HOME/staging/&lt;pid&gt;-&lt;process start, Unix ms&gt;/</c>. A process
/// killed with SIGKILL cannot delete its files, so the next process to start removes the folders of processes that are gone
/// (<see cref="RemoveLeftovers"/>); the start time tells a live process from a later one that reused a dead one's pid.
/// </summary>
public sealed class LocalStaging(string root)
{
    // Process.StartTime is derived from the boot time, which .NET recomputes per call; allow for that jitter.
    private static readonly TimeSpan SameStart = TimeSpan.FromSeconds(2);
    private static readonly string OwnFolderName = FolderName(Environment.ProcessId, StartOf(Process.GetCurrentProcess()) ?? DateTimeOffset.UnixEpoch);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>This process's folder (created when asked for, so a process that stages nothing leaves nothing).</summary>
    public string Folder => Directory.CreateDirectory(Path.Combine(Root, OwnFolderName)).FullName;

    /// <summary>A fresh path in this process's folder; the file is not created.</summary>
    public string NewPath(string prefix, string extension) => Path.Combine(Folder, $"{prefix}-{Guid.NewGuid():N}{extension}");

    /// <summary>Deletes the folders of processes that no longer run, and returns them. Folders of live processes, and names this class did not make, stay.</summary>
    public IReadOnlyList<string> RemoveLeftovers()
    {
        var removed = new List<string>();
        if (!Directory.Exists(Root)) return removed;
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            if (!TryParse(Path.GetFileName(folder), out var pid, out var start) || IsRunning(pid, start)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another starting process removed it first, or it is not ours to remove: either way not this process's concern.
            }
        }
        return removed;
    }

    internal static string FolderName(int pid, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"{pid}-{start.ToUnixTimeMilliseconds()}");

    private static bool TryParse(string name, out int pid, out DateTimeOffset start)
    {
        start = default;
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out pid)
            || !long.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            pid = 0;
            return false;
        }
        start = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private static bool IsRunning(int pid, DateTimeOffset start)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return StartOf(process) is not { } actual || (actual - start).Duration() < SameStart;
        }
        catch (ArgumentException)
        {
            return false; // no process has that id
        }
    }

    /// <summary>When the process started, or null when that cannot be read (then it is taken as running: never delete a live writer's files).</summary>
    private static DateTimeOffset? StartOf(Process process)
    {
        try
        {
            return process.HasExited ? DateTimeOffset.UnixEpoch : new DateTimeOffset(process.StartTime.ToUniversalTime());
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
