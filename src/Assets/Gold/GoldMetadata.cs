using Lakehouse.Core.Execution;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Gold;

/// <summary>The metadata every Gold materialization reports.</summary>
internal static class GoldMetadata
{
    public static Dictionary<string, MetadataValue> Of(ILakeTable table, TableCommit commit, UniqueFixReport read, long rowsOut, long rounds, TimeSpan duration) => new()
    {
        ["rows_in"] = MetadataValue.Int(read.RowsIn),
        // One fix, one count: copies of a (round_id, location_index) from other ingests that were resolved to the preferred one.
        ["duplicate_fixes"] = MetadataValue.Int(read.DuplicateFixes),
        ["reexported_rounds"] = MetadataValue.Int(read.ReexportedRounds),
        ["rows_out"] = MetadataValue.Int(rowsOut),
        ["rounds"] = MetadataValue.Int(rounds),
        ["table"] = MetadataValue.Text(table.Id.ToString()),
        ["snapshot_id"] = MetadataValue.Int(commit.SnapshotId),
        ["files_written"] = MetadataValue.Int(commit.AddedFiles),
        ["bytes_written"] = MetadataValue.Int(commit.AddedBytes),
        ["duration_ms"] = MetadataValue.Int((long)duration.TotalMilliseconds),
        ["schema"] = MetadataValue.TableSchema(table.Schema.Fields.Select(f => new TableColumnInfo(f.Name, TypeName(f.Type), !f.Required))),
    };

    /// <summary>The step's logger with the fields every step line carries: course_id, row_count, duration_ms.</summary>
    public static Serilog.ILogger LogFor(AssetExecutionContext context, string courseId, long rowCount, TimeSpan duration) =>
        context.Log
            .ForContext("course_id", courseId)
            .ForContext("row_count", rowCount)
            .ForContext("duration_ms", (long)duration.TotalMilliseconds);

    /// <summary>Says how many copies of re-exported rounds were resolved, and in how many passes.</summary>
    public static void LogResolved(Serilog.ILogger log, string courseId, UniqueFixReport read)
    {
        if (read.DuplicateFixes > 0)
            log.Information("{Duplicates} copy(ies) of fixes of {Rounds} round(s) of course {CourseId} landed in more than one ingest; each fix was counted once, in {Passes} pass(es)",
                read.DuplicateFixes, read.ReexportedRounds, courseId, read.Passes);
    }

    /// <summary>Iceberg's names for the column types.</summary>
    public static string TypeName(TableType type) => type switch
    {
        TableType.TimestampTz => "timestamptz",
        _ => type.ToString().ToLowerInvariant(),
    };
}
