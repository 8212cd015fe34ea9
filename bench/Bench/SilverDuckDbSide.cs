using System.Diagnostics;
using DuckDB.NET.Data;

namespace TmLakehouse.Bench;

/// <summary>
/// The DuckDB peer in its own process: per (course_id, ingest_date) partition, the header-driven wide-to-long SQL over every file,
/// casts, quarantine filter and dedup window, then COPY to Parquet partitioned by (course_id, event_date).
/// </summary>
internal static class SilverDuckDbSide
{
    /// <summary>args: DIR [--csv-only].</summary>
    public static async Task RunAsync(string[] args)
    {
        var manifest = SilverSample.Load(args[0]);
        var csvOnly = args.Contains("--csv-only");
        var files = manifest.Files.Where(f => !csvOnly || f.Format == "csv").ToList();
        var output = Path.Combine(Path.GetTempPath(), "tmlake-bench-silver-duckdb-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(output);
        try
        {
            await using var connection = new DuckDBConnection("Data Source=:memory:");
            await connection.OpenAsync();
            Execute(connection, $"SET temp_directory = '{Path.Combine(output, ".spill")}'");
            Execute(connection, "SET TimeZone = 'UTC'");
            var partitions = files.GroupBy(f => (f.CourseId, f.IngestDate)).ToList();
            var clock = Stopwatch.StartNew();
            var views = new List<string>();
            foreach (var partition in partitions)
            {
                var (courseId, ingestDate) = partition.Key;
                var view = $"long_{views.Count}";
                var parts = partition.Select(f => f.Format == "json"
                    ? DuckDbSilverSql.JsonLong(f.Path)
                    : DuckDbSilverSql.CsvLong(f.Path, DuckDbSilverSql.ReadHeader(f.Path)));
                Execute(connection, $"CREATE TEMP VIEW {view} AS " + string.Join("\nUNION ALL ", parts.Select(p => $"SELECT * FROM {p}")));
                views.Add(view);
                var target = Path.Combine(output, courseId);
                Execute(connection, $"COPY ({DuckDbSilverSql.Silver(view, courseId, ingestDate)}) TO '{target}' (FORMAT parquet, PARTITION_BY (course_id, event_date))");
            }
            clock.Stop();
            var peak = SideResult.PeakRss();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

            // Counting is not part of the timed transform (and comes after the peak RSS reading).
            var count = Stopwatch.StartNew();
            long rowsIn = views.Sum(v => Scalar(connection, $"SELECT count(*) FROM {v}"));
            long rowsOut = Scalar(connection, $"SELECT count(*) FROM read_parquet('{output}/**/*.parquet')");
            count.Stop();
            new SideResult(csvOnly ? "duckdb (csv only)" : "duckdb", clock.Elapsed.TotalSeconds, rowsIn, rowsOut, files.Sum(f => f.Bytes), peak)
            {
                Phases = new() { ["cpu_s"] = cpu, ["untimed_count_s"] = count.Elapsed.TotalSeconds, ["partitions"] = partitions.Count, ["threads"] = Scalar(connection, "SELECT current_setting('threads')") },
                Note = csvOnly ? "CSV files only" : null,
            }.Print();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
