using System.Diagnostics;
using System.Globalization;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>
/// The tmlake CLI as a user runs it, for the benchmarks that time a whole process (Silver here; Gold's and the spatial ingest's
/// sides call <see cref="RunAsync(string, string, string[])"/> and <see cref="TimeLine"/>): a fresh TM_HOME, every export of a
/// sample landed and Bronze-materialized (untimed), then `tmlake materialize --select silver/fact_telemetry_event --all-partitions`
/// timed as a child process under GNU time, so the peak RSS is the child's own (concurrent partitions share it).
/// </summary>
internal static class TmlakeCli
{
    public sealed record SilverRun(double Seconds, double PeakRssMb, double CpuSeconds, long RowsOut, int Files, int EventDates);

    public static async Task<SilverRun> SilverAsync(string dll, SampleDataManifest manifest)
    {
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            foreach (var file in manifest.Files)
                await RunAsync(dll, home, "land", file.Path, "--course", file.CourseId, "--ingest-date", file.IngestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await RunAsync(dll, home, "materialize", "-s", "bronze/rounds_raw", "--all-partitions");
            var clock = Stopwatch.StartNew();
            var (_, error) = await RunAsync(dll, home, "materialize", "-s", "silver/fact_telemetry_event", "--all-partitions");
            clock.Stop();
            var (count, _) = await RunAsync(dll, home, "preview", "silver/fact_telemetry_event", "--count");
            var data = Directory.GetDirectories(Path.Combine(home, "lake"), "fact_telemetry_event", SearchOption.AllDirectories).Single();
            var files = Directory.GetFiles(data, "*.parquet", SearchOption.AllDirectories);
            var dates = files.Select(Path.GetDirectoryName).Distinct().Count();
            return new SilverRun(clock.Elapsed.TotalSeconds, TimeLine(error, "MAXRSS_KB ") / 1024.0, TimeLine(error, "USER_S ") + TimeLine(error, "SYS_S "),
                long.Parse(count.Trim(), CultureInfo.InvariantCulture), files.Length, dates);
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>A figure GNU time printed on its own line, at the end of the child's stderr.</summary>
    public static double TimeLine(string error, string prefix)
    {
        var line = error.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs `tmlake ARGS` under GNU time (for the child's own peak RSS and CPU) against <paramref name="home"/>; it must succeed.</summary>
    public static Task<(string Out, string Error)> RunAsync(string dll, string home, params string[] args) =>
        RunAsync(dll, home, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunAsync(string, string, string[])"/>, with TM_* <paramref name="settings"/> beside TM_HOME (e.g. TM_POSTGIS_URL).</summary>
    public static async Task<(string Out, string Error)> RunAsync(string dll, string home, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "MAXRSS_KB %M\nUSER_S %U\nSYS_S %S", "dotnet", dll }.Concat(args)) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TM_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        start.Environment["TM_HOME"] = home;
        foreach (var (name, value) in settings) start.Environment[name] = value;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/time (apt-get install time)");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"tmlake {string.Join(' ', args)} exited {child.ExitCode}:\n{await output}\n{await error}");
        return (await output, await error);
    }

    /// <summary>The CLI as users run it: ./tmlake builds .build/tmlake when the sources changed.</summary>
    public static async Task<string> BuildAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "TmLakehouse.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "tmlake"));
        start.ArgumentList.Add("--help");
        using var build = Process.Start(start)!;
        await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        var dll = Path.Combine(root, ".build", "tmlake", "tmlake.dll");
        if (build.ExitCode != 0 || !File.Exists(dll)) throw new InvalidOperationException($"./tmlake --help exited {build.ExitCode}");
        return dll;
    }
}
