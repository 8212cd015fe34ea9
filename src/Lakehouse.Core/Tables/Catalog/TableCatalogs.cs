using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Rest;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lakehouse.Core.Tables.Catalog;

/// <summary>Creates the table catalog: the Iceberg SQL catalog ("tmlake", JDBC layout) on SQLite or PostgreSQL, or an Iceberg REST catalog client.</summary>
public static class TableCatalogs
{
    /// <summary>A catalog in a SQLite file (a path, or a full <c>Data Source=...</c> connection string).</summary>
    public static ITableCatalog Sqlite(string pathOrConnectionString, IObjectStoreProvider objects, TimeProvider clock)
    {
        var builder = pathOrConnectionString.Contains('=')
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        // Writers in other processes hold the file lock briefly; wait for it instead of failing.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 60);
        var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (dir is not null) Directory.CreateDirectory(dir);
        var connectionString = builder.ToString();
        return new SqlTableCatalog(() => new SqliteConnection(connectionString), objects, clock, isSqlite: true);
    }

    /// <summary>A catalog in PostgreSQL (an Npgsql connection string).</summary>
    public static ITableCatalog Postgres(string connectionString, IObjectStoreProvider objects, TimeProvider clock) =>
        new SqlTableCatalog(() => new NpgsqlConnection(connectionString), objects, clock, isSqlite: false);

    /// <summary>A client of an Iceberg REST catalog (tmlake serve, AWS Glue, S3 Tables); table files go to the given stores.</summary>
    public static ITableCatalog Rest(RestCatalogOptions options, IObjectStoreProvider objects, TimeProvider clock) =>
        new RestTableCatalog(options, objects, clock);
}
