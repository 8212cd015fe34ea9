namespace Orchestrator.Tests.Support;

/// <summary>A fresh TM_HOME folder deleted after the test.</summary>
public sealed class TempHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tmlake-test-" + Guid.NewGuid().ToString("N")[..10]);

    public TempHome() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
