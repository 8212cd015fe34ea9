using System.Text;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance.Storage;
using Lakehouse.Core.Partitions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>
/// Reads <c>asset_partition_status</c> rows by stepping the statement through SQLitePCL directly. SQLite scans 100,000
/// rows in ~25 ms; SqliteDataReader's several native calls and checks per column, plus a string for every text column,
/// cost ten times that, and a 100,000-partition status read must finish in 200 ms.
/// </summary>
internal static class SqliteStatusRows
{
    /// <summary>
    /// Runs <paramref name="read"/>, which selects partition_key, state, run_id, updated_at, last_materialization_event_id,
    /// last_materialized_at and, when <paramref name="asset"/> is null, asset; when given, the asset is not read back.
    /// Its text and integer arguments are bound by name.
    /// </summary>
    public static List<AssetPartitionStatus> Read(SqliteConnection connection, SqlStatement read, AssetKey? asset, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, read.Sql, out var statement), db);
        try
        {
            foreach (var arg in read.Args) Bind(db, statement, arg);
            var assetTexts = new RepeatedUtf8Text();
            var assets = new AssetKeyCache();
            var runs = new RepeatedUtf8Text();
            var statuses = new List<AssetPartitionStatus>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_DONE) return statuses;
                if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, db);
                // column_blob hands back a text column's stored UTF-8 bytes without conversion or copy; they stay valid
                // only until the next step, so each is decoded or compared before then.
                var partition = raw.sqlite3_column_blob(statement, 0);
                statuses.Add(new AssetPartitionStatus(
                    asset ?? assets.Get(assetTexts.Get(raw.sqlite3_column_blob(statement, 6))),
                    partition.IsEmpty ? null : new PartitionKey(Encoding.UTF8.GetString(partition)),
                    MaterializationStateText.Parse(raw.sqlite3_column_blob(statement, 1)),
                    runs.Get(raw.sqlite3_column_blob(statement, 2)),
                    new DateTimeOffset(raw.sqlite3_column_int64(statement, 3), TimeSpan.Zero))
                {
                    LastMaterializationEventId = IsNull(statement, 4) ? null : raw.sqlite3_column_int64(statement, 4),
                    LastMaterializedAt = IsNull(statement, 5) ? null : new DateTimeOffset(raw.sqlite3_column_int64(statement, 5), TimeSpan.Zero),
                });
            }
        }
        finally
        {
            // Finalizes the statement; left open, it would keep the pooled connection from closing.
            statement.Dispose();
        }
    }

    private static void Bind(sqlite3 db, sqlite3_stmt statement, SqlArg arg)
    {
        var index = raw.sqlite3_bind_parameter_index(statement, "@" + arg.Name);
        if (index == 0) return;
        SqliteException.ThrowExceptionForRC(arg.Value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, text),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            _ => throw new ArgumentException($"A status read binds text and integers, not {arg.Type} ('{arg.Name}')."),
        }, db);
    }

    private static bool IsNull(sqlite3_stmt statement, int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;
}
