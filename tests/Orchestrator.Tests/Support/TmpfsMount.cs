using System.Diagnostics;

namespace Orchestrator.Tests.Support;

/// <summary>
/// A small tmpfs mounted over a folder, to make a real full or read-only file system without Docker: needs root (or
/// CAP_SYS_ADMIN), as CI runners and this machine give; without it the test fails with the reason instead of skipping.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Fills the file system to the last byte with one file, which <see cref="Drain"/> removes again.</summary>
    public void Fill()
    {
        // Unbuffered, so the write that hits ENOSPC is the one caught here, not a flush at dispose.
        using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[1 << 16];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: full. Smaller writes take what a 64 KB block could not.
        }
        for (var size = block.Length / 2; size > 0; size /= 2)
        {
            try
            {
                while (true) filler.Write(block, 0, size);
            }
            catch (IOException)
            {
            }
        }
    }

    public void Drain() => File.Delete(FillerPath);

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    public void Dispose()
    {
        // A lazy unmount still succeeds when a file of a killed process is open on it.
        if (!TryRun("umount", Path)) TryRun("umount", "-l", Path);
    }

    private static void Run(params string[] arguments)
    {
        var (ok, output) = Execute(arguments);
        if (!ok)
            throw new InvalidOperationException(
                $"`{string.Join(' ', arguments)}` failed ({output.Trim()}): the full- and read-only-disk tests mount a tmpfs and need root or CAP_SYS_ADMIN.");
    }

    private static bool TryRun(params string[] arguments) => Execute(arguments).Ok;

    private static (bool Ok, string Output) Execute(string[] arguments)
    {
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments.Skip(1)) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode == 0, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }
}
