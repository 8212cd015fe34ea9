using System.Diagnostics;

namespace Orchestrator.Tests.Support;

/// <summary>A `tmlake worker --env-file F` (or any other long-running tmlake command) process whose output goes to a file; disposing kills it if it still runs.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private WorkerProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public int Id => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string dll, string envFile, int workers, string logPath) =>
        StartCommand(dll, ["worker", "--env-file", envFile, "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>(), logPath);

    /// <summary>Starts `tmlake ARGS` with only the given TM_* variables (e.g. `serve --port P` with TM_HOME).</summary>
    public static WorkerProcess StartCommand(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> variables, string logPath)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        ChildEnvironment.Clean(start);
        foreach (var (name, value) in variables) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a tmlake worker.");
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        void Write(string? line)
        {
            if (line is null) return;
            lock (log)
            {
                if (log.BaseStream.CanWrite) log.WriteLine(line);
            }
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, log, logPath);
    }

    /// <summary>SIGKILL, like `kill -9`: no shutdown code of the worker runs.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
