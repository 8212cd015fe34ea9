using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Opens the Iceberg SQL catalog on the same database family as the instance store, or the REST catalog TM_CATALOG=rest names.</summary>
internal static class TableBackends
{
    public static ITableCatalog Open(LakehouseOptions options, IObjectStoreProvider objects, TimeProvider clock) => options.Catalog == CatalogKind.Rest
        ? TableCatalogs.Rest(Lakehouse.Core.Tables.Rest.RestCatalogOptions.From(options), objects, clock)
        : options.InstanceStore switch
    {
        StoreKind.Sqlite => TableCatalogs.Sqlite(Path.Combine(options.Home, "catalog.db"), objects, clock),
        StoreKind.Postgres => TableCatalogs.Postgres(InstanceBackends.BoundedPostgres(options), objects, clock),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.InstanceStore, "Unknown instance store."),
    };
}
