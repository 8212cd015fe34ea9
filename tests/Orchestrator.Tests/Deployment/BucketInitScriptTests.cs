using System.Diagnostics;
using Lakehouse.Core.Config;

namespace Orchestrator.Tests.Deployment;

/// <summary>Runs docker/minio/create-buckets.sh under /bin/sh with a recording stand-in for <c>mc</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BucketInitScriptTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("tm-fake-mc-").FullName;

    [Fact]
    public void Script_LogsInAndCreatesEachLayerBucket_NamedInLocalEnv()
    {
        var calls = Path.Combine(_bin, "calls.txt");
        File.WriteAllText(Path.Combine(_bin, "mc"), $"#!/bin/sh\necho \"$*\" >> '{calls}'\n");
        File.SetUnixFileMode(Path.Combine(_bin, "mc"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);

        var exitCode = Run(EnvFile.Read(RepositoryFiles.PathOf("config/local.env"), new Dictionary<string, string>()));

        Assert.Equal(0, exitCode);
        Assert.Equal(
        [
            "alias set local http://minio:9000 tmlake tmlake-local-secret",
            "mb --ignore-existing local/tm-landing",
            "mb --ignore-existing local/tm-bronze",
            "mb --ignore-existing local/tm-silver",
            "mb --ignore-existing local/tm-gold",
            "mb --ignore-existing local/tm-spatial",
            "mb --ignore-existing local/tm-quarantine",
            "mb --ignore-existing local/tm-observability",
        ], File.ReadAllLines(calls));
    }

    [Fact]
    public void Script_Fails_WhenABucketSettingIsMissing()
    {
        File.WriteAllText(Path.Combine(_bin, "mc"), "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(Path.Combine(_bin, "mc"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var entries = EnvFile.Read(RepositoryFiles.PathOf("config/local.env"), new Dictionary<string, string>()).Where(e => e.Key != "TM_BUCKET_GOLD");

        Assert.NotEqual(0, Run(entries));
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private int Run(IEnumerable<EnvEntry> environment)
    {
        var start = new ProcessStartInfo("/bin/sh", RepositoryFiles.PathOf("docker/minio/create-buckets.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = $"{_bin}:/usr/bin:/bin";
        foreach (var entry in environment) start.Environment[entry.Key] = entry.Value;
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
