using System.Diagnostics;
using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

// Silver throughput on the default-size sample (≈ 27,500 rounds): generates it once into a folder, then runs the transform per
// course with writers that only count rows, twice (the second run is the warm one, after JIT tiering).
// Usage: dotnet run -c Release --project bench/SilverBench [folder]
var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "tm-silver-bench");
var process = Process.GetCurrentProcess();
if (!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0)
{
    var generation = Stopwatch.StartNew();
    var manifest = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = folder });
    Console.WriteLine($"generated {manifest.Files.Count} files, {manifest.TotalRounds:N0} rounds, {manifest.TotalLocationRows:N0} location rows, " +
                      $"{manifest.TotalBytes / 1e6:F1} MB in {generation.Elapsed.TotalSeconds:F1} s");
}

for (var round = 1; round <= 2; round++)
{
Console.WriteLine(round == 1 ? "cold run:" : "warm run:");
long bytes = 0, rows = 0;
var wall = Stopwatch.StartNew();
var cpuStart = process.TotalProcessorTime;
foreach (var course in SampleDataOptions.AllCourses)
{
    var inputs = Directory.GetFiles(folder, course + "_rounds_*").Order(StringComparer.Ordinal).Select(SilverInput.FromFile).ToList();
    var cpu = process.TotalProcessorTime;
    var result = await SilverTransform.RunAsync(inputs, course, new DateOnly(2025, 6, 1), new CountingWriter(), new CountingWriter(), new SilverGates(), default);
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    bytes += result.BytesRead;
    rows += result.RowsOut;
    Console.WriteLine($"{course,-15} {result.BytesRead / 1e6,6:F1} MB  {result.Elapsed.TotalSeconds,6:F2} s wall  {result.BytesRead / 1e6 / result.Elapsed.TotalSeconds,6:F1} MB/s  " +
                      $"{result.BytesRead / 1e6 / cpuSeconds,6:F1} MB/cpu-s  rows in {result.RowsIn:N0} out {result.RowsOut:N0} quarantined {result.RowsQuarantined:N0} " +
                      $"padding {result.RowsPadding:N0} duplicates {result.RowsDeduplicated:N0} gate {result.GateFailure?.Gate ?? "passed"}");
}
var totalCpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
process.Refresh();
Console.WriteLine($"total {bytes / 1e6:F1} MB, {rows:N0} rows: {wall.Elapsed.TotalSeconds:F1} s wall = {bytes / 1e6 / wall.Elapsed.TotalSeconds:F1} MB/s, {rows / wall.Elapsed.TotalSeconds:N0} rows/s; " +
                  $"{totalCpu:F1} cpu-s = {bytes / 1e6 / totalCpu:F1} MB/cpu-s, {rows / totalCpu:N0} rows/cpu-s; peak working set {process.PeakWorkingSet64 / 1e6:F0} MB; " +
                  $"load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")}");
}

/// <summary>Counts and drops batches: the benchmark measures the transform, not a table format.</summary>
internal sealed class CountingWriter : ITableWriter
{
    private long _rows;

    public Task WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        _rows += batch.Length;
        batch.Dispose();
        return Task.CompletedTask;
    }

    public Task<TableCommit> CommitAsync(CancellationToken cancellationToken) => Task.FromResult(new TableCommit(1, _rows, 0, 0, 0, 0, _rows));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
