using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Opens the instance store the options name (running its migrations).</summary>
internal static class InstanceBackends
{
    public static Task<LakehouseInstance> OpenAsync(LakehouseOptions options, TimeProvider clock, CancellationToken cancellationToken) => options.InstanceStore switch
    {
        StoreKind.Sqlite => InstanceStores.OpenSqliteAsync(options.SqlitePath, clock, cancellationToken),
        StoreKind.Postgres => InstanceStores.OpenPostgresAsync(RequirePostgres(options), options.PostgresMaxPoolSize, clock, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.InstanceStore, "Unknown instance store."),
    };

    public static string RequirePostgres(LakehouseOptions options) => options.PostgresConnectionString
        ?? throw new InvalidOperationException("TM_POSTGRES is not set: the postgres instance store needs a connection string.");

    /// <summary>TM_POSTGRES with its pool capped at TM_POSTGRES_MAX_POOL, for the catalog (the instance store caps its own the same way).</summary>
    public static string BoundedPostgres(LakehouseOptions options) =>
        new Npgsql.NpgsqlConnectionStringBuilder(RequirePostgres(options)) { MaxPoolSize = options.PostgresMaxPoolSize }.ConnectionString;
}
