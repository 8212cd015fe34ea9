using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Lakehouse.Core.Tables.Rest;
using Microsoft.Extensions.DependencyInjection;

namespace Lakehouse.Core;

/// <summary>
/// Chooses the backends of a lakehouse in a service collection, in the way of Hangfire's <c>UseXxxStorage</c>: one call per
/// backend (<see cref="UseSqlite"/>, <see cref="UsePostgres"/>, <see cref="UseLocalObjects"/>, <see cref="UseS3"/>), or
/// <see cref="UseConfiguredBackends"/> for the ones the options name.
/// </summary>
public sealed class LakehouseBuilder(IServiceCollection services, LakehouseOptions options)
{
    public IServiceCollection Services { get; } = services;
    public LakehouseOptions Options { get; } = options;

    /// <summary>The instance database chosen so far (other backends, such as a job storage, follow it); null before one is.</summary>
    public InstanceBackend? Instance { get; private set; }

    /// <summary>The embedded instance and Iceberg catalog: SQLite files under TM_HOME (or the paths given).</summary>
    public LakehouseBuilder UseSqlite(string? instancePath = null, string? catalogPath = null)
    {
        UseInstance(InstanceBackend.Sqlite(instancePath ?? Options.SqlitePath));
        var catalog = catalogPath ?? Path.Combine(Options.Home, "catalog.db");
        Services.AddSingleton(sp => TableCatalogs.Sqlite(catalog, sp.GetRequiredService<IObjectStoreProvider>(), sp.GetRequiredService<TimeProvider>()));
        return this;
    }

    /// <summary>The shared instance and Iceberg catalog on PostgreSQL (TM_POSTGRES unless given), each pool capped at TM_POSTGRES_MAX_POOL.</summary>
    public LakehouseBuilder UsePostgres(string? connectionString = null)
    {
        var given = connectionString ?? Options.PostgresConnectionString
            ?? throw new ConfigurationException("TM_POSTGRES is not set: the postgres instance store needs a connection string.");
        UseInstance(InstanceBackend.Postgres(given, Options.PostgresMaxPoolSize));
        var bounded = new Npgsql.NpgsqlConnectionStringBuilder(given) { MaxPoolSize = Options.PostgresMaxPoolSize }.ConnectionString;
        Services.AddSingleton(sp => TableCatalogs.Postgres(bounded, sp.GetRequiredService<IObjectStoreProvider>(), sp.GetRequiredService<TimeProvider>()));
        return this;
    }

    /// <summary>
    /// Table pointers in an Iceberg REST catalog (TM_CATALOG_URI: AWS Glue, S3 Tables, another tmlake serve) instead of the
    /// instance database's SQL catalog; registered after the instance, it takes the table catalog's place.
    /// </summary>
    public LakehouseBuilder UseRestCatalog(RestCatalogOptions? catalog = null)
    {
        var settings = catalog ?? RestCatalogOptions.From(Options);
        Services.AddSingleton(sp => TableCatalogs.Rest(settings, sp.GetRequiredService<IObjectStoreProvider>(), sp.GetRequiredService<TimeProvider>()));
        return this;
    }

    /// <summary>Buckets as folders under TM_HOME/lake.</summary>
    public LakehouseBuilder UseLocalObjects()
    {
        Services.AddSingleton<IObjectStoreProvider>(_ => new LocalObjectStoreProvider(Options));
        return this;
    }

    /// <summary>Buckets on S3 or an S3-compatible server (TM_S3_*); opens no connection until used.</summary>
    public LakehouseBuilder UseS3()
    {
        Services.AddSingleton<IObjectStoreProvider>(_ => new S3ObjectStoreProvider(Options));
        return this;
    }

    /// <summary>The backends the options name (TM_INSTANCE_STORE, TM_CATALOG, TM_OBJECT_STORE): the one place configuration picks them.</summary>
    public LakehouseBuilder UseConfiguredBackends()
    {
        _ = Options.InstanceStore switch
        {
            StoreKind.Sqlite => UseSqlite(),
            StoreKind.Postgres => UsePostgres(),
            _ => throw new ConfigurationException($"Unknown instance store {Options.InstanceStore}."),
        };
        if (Options.Catalog == CatalogKind.Rest) UseRestCatalog();
        return Options.ObjectStore switch
        {
            ObjectStoreKind.Local => UseLocalObjects(),
            ObjectStoreKind.S3 => UseS3(),
            _ => throw new ConfigurationException($"Unknown object store {Options.ObjectStore}."),
        };
    }

    private void UseInstance(InstanceBackend backend)
    {
        Instance = backend;
        Services.AddSingleton(backend);
        Services.AddSingleton(sp => backend.Create(sp.GetRequiredService<TimeProvider>()));
    }
}
