namespace Lakehouse.Core.Instance;

/// <summary>
/// Opens a <see cref="LakehouseInstance"/> directly (tools and tests; a process registers one with <c>AddLakehouse().UseSqlite()</c>
/// or <c>UsePostgres()</c>): one store implementation over the database's dialect, its schema brought up to date first.
/// </summary>
public static class InstanceStores
{
    public static Task<LakehouseInstance> OpenSqliteAsync(string path, TimeProvider clock, CancellationToken cancellationToken) =>
        OpenAsync(InstanceBackend.Sqlite(path), clock, cancellationToken);

    public static Task<LakehouseInstance> OpenPostgresAsync(string connectionString, int maxPoolSize, TimeProvider clock, CancellationToken cancellationToken) =>
        OpenAsync(InstanceBackend.Postgres(connectionString, maxPoolSize), clock, cancellationToken);

    private static async Task<LakehouseInstance> OpenAsync(InstanceBackend backend, TimeProvider clock, CancellationToken cancellationToken)
    {
        var instance = backend.Create(clock);
        try
        {
            await backend.PrepareAsync(clock, cancellationToken);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }
}
