using System.Diagnostics;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Bench;

/// <summary>
/// Our Silver in its own process: SilverTransform over each (course_id, ingest_date) partition's files, writing real Iceberg tables
/// through the SQLite catalog in a temp folder and committing each partition, as SilverTelemetryAsset does.
/// </summary>
internal static class SilverOursSide
{
    /// <summary>args: DIR [--discard] [--workers N] [--csv-only]. With --discard the rows go to a counting writer (profile: no Parquet/Iceberg).</summary>
    public static async Task RunAsync(string[] args)
    {
        var manifest = SilverSample.Load(args[0]);
        var discard = args.Contains("--discard");
        var workersAt = Array.IndexOf(args, "--workers");
        var workers = workersAt >= 0 ? int.Parse(args[workersAt + 1]) : 1;
        var home = Path.Combine(Path.GetTempPath(), "tmlake-bench-silver-ours-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = new LakehouseOptions { Home = home };
            var objects = new LocalObjectStoreProvider(options);
            var catalog = TableCatalogs.Sqlite(Path.Combine(home, "catalog.db"), objects, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var telemetryTable = await catalog.CreateOrLoadAsync(SilverTables.TelemetryEvent, CancellationToken.None);
            var healthTable = await catalog.CreateOrLoadAsync(SilverTables.DeviceHealth, CancellationToken.None);
            var files = args.Contains("--csv-only") ? manifest.Files.Where(f => f.Format == "csv").ToList() : manifest.Files;
            var partitions = files.GroupBy(f => (f.CourseId, f.IngestDate)).ToList();
            long rowsIn = 0, rowsOut = 0, bytes = 0, quarantined = 0, duplicates = 0, transformTicks = 0, commitTicks = 0;
            var failures = new List<string>();
            await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (partition, ct) =>
            {
                var (courseId, ingestDate) = partition.Key;
                var inputs = partition.Select(f => SilverInput.FromFile(f.Path)).ToList();
                var filter = RowFilter.Where((SilverTelemetryAsset.CourseDimension, courseId), (SilverTelemetryAsset.IngestDateDimension, ingestDate));
                await using ITableWriter telemetry = discard ? new DiscardingTableWriter() : new TimingTableWriter(telemetryTable.NewReplace(filter));
                await using ITableWriter health = discard ? new DiscardingTableWriter() : new TimingTableWriter(healthTable.NewReplace(filter));
                var result = await SilverTransform.RunAsync(inputs, courseId, ingestDate, telemetry, health, new SilverGates(), objects.Staging, ct);
                var commit = Stopwatch.StartNew();
                if (result.GateFailure is { } gate) lock (failures) failures.Add($"{courseId}: {gate.Message}");
                else
                {
                    await telemetry.CommitAsync(ct);
                    await health.CommitAsync(ct);
                }
                commit.Stop();
                Interlocked.Add(ref rowsIn, result.RowsIn);
                Interlocked.Add(ref rowsOut, result.RowsOut);
                Interlocked.Add(ref bytes, result.BytesRead);
                Interlocked.Add(ref quarantined, result.RowsQuarantined);
                Interlocked.Add(ref duplicates, result.RowsDeduplicated);
                Interlocked.Add(ref transformTicks, result.Elapsed.Ticks);
                Interlocked.Add(ref commitTicks, commit.Elapsed.Ticks);
            });
            clock.Stop();
            var peak = SideResult.PeakRss();
            if (failures.Count > 0) Console.Error.WriteLine("gate failures (nothing committed for these): " + string.Join("; ", failures));
            new SideResult(discard ? "ours (discard writer)" : "ours", clock.Elapsed.TotalSeconds, rowsIn, rowsOut, bytes, peak)
            {
                Phases = new()
                {
                    ["SilverTransform.RunAsync_s"] = TimeSpan.FromTicks(transformTicks).TotalSeconds,
                    ["table_writer_s (every WriteAsync + CommitAsync)"] = TimeSpan.FromTicks(TimingTableWriter.TotalTicks).TotalSeconds,
                    ["commit_s"] = TimeSpan.FromTicks(commitTicks).TotalSeconds,
                    ["data_files"] = TimingTableWriter.TotalFiles,
                    ["cpu_s"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
                    ["allocated_gb"] = GC.GetTotalAllocatedBytes() / 1e9,
                    ["gen2_gcs"] = GC.CollectionCount(2),
                    ["gc_pause_s"] = GC.GetTotalPauseDuration().TotalSeconds,
                    ["rows_quarantined"] = quarantined,
                    ["rows_deduplicated"] = duplicates,
                    ["partitions"] = partitions.Count,
                    ["workers"] = workers,
                },
            }.Print();
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }
}
