using System.Data.Common;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Sql;

/// <summary>
/// SQL over the lake's tables with DuckDB (embedded, in process). Each attached table is a view named like the table,
/// <c>silver.fact_telemetry_event</c>, over exactly the live data files of one snapshot (the current one unless a
/// <see cref="SnapshotSelector"/> says otherwise) — never a glob over the table's folder, which would also count files of
/// replaced snapshots that stay until they expire. Files on S3 are staged to a bounded local cache first.
/// </summary>
/// <remarks>
/// Reuse: open one engine, attach what the SQL needs (<see cref="AttachReferencedAsync"/> finds the tables a statement names,
/// <c>AttachAsync</c> attaches one explicitly, or a view <see cref="ResolveViewAsync"/> found beforehand), then run statements with <see cref="ExecuteReaderAsync"/> or work on
/// <see cref="Connection"/> directly (e.g. SQL models that <c>COPY</c> a result to Parquet). DuckDB's errors come back as
/// <see cref="LakeSqlException"/>.
/// </remarks>
public sealed class LakeSqlEngine : IAsyncDisposable
{
    private readonly ITableCatalog _catalog;
    private readonly IObjectStoreProvider _objects;
    private readonly DataFileCache _cache;
    private readonly Dictionary<TableIdentifier, SnapshotView> _views = [];
    private readonly (string Catalog, string DefaultCatalog, long InputBytes)? _shared;
    private bool _disposed;

    private LakeSqlEngine(ITableCatalog catalog, IObjectStoreProvider objects, DataFileCache cache, DuckDBConnection connection, (string, string, long)? shared = null)
    {
        _catalog = catalog;
        _objects = objects;
        _cache = cache;
        Connection = connection;
        _shared = shared;
    }

    /// <summary>The DuckDB connection the views live in.</summary>
    public DuckDBConnection Connection { get; }

    /// <summary>The tables attached so far.</summary>
    public IReadOnlyCollection<SnapshotView> Views => _views.Values;

    /// <summary>Opens an engine over the catalog; data files read from S3 are staged under <paramref name="cacheFolder"/>, at most <paramref name="cacheBytes"/> of them.</summary>
    public static async Task<LakeSqlEngine> OpenAsync(ITableCatalog catalog, IObjectStoreProvider objects, string cacheFolder, long cacheBytes, CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        var engine = new LakeSqlEngine(catalog, objects, new DataFileCache(cacheFolder, cacheBytes), connection);
        await engine.RunAsync(SpillSetting(cacheFolder), cancellationToken);
        await engine.RunAsync(UtcSetting, cancellationToken);
        return engine;
    }

    /// <summary>
    /// Opens an engine in the process's shared DuckDB database (see <see cref="SharedDuckDb"/>) within <paramref name="limits"/>,
    /// with its own catalog for its views and tables; <paramref name="inputBytes"/> is what the engine's views will read (see
    /// <see cref="SharedEngineLimits.JoinInputMegabytes"/>), <paramref name="waiting"/> is called when the engine has to wait its turn.
    /// </summary>
    public static async Task<LakeSqlEngine> OpenSharedAsync(ITableCatalog catalog, IObjectStoreProvider objects, string cacheFolder, long cacheBytes,
        SharedEngineLimits limits, long inputBytes, Action? waiting, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputBytes);
        // Insertion order is not needed for a table; a low allocator flush threshold hands freed memory back to the system after
        // each task rather than keeping up to 128 MB (DuckDB's default) resident between steps. DuckDB's external file cache keeps
        // the bytes of the Parquet files a query reads in memory (53 MB of fact_rounds' peak on the 1 GB Silver), which a model
        // never reads twice: the files are local (remote ones are staged to disk first) and the page cache has them anyway.
        var settings = $"SET memory_limit = '{limits.MemoryMegabytes}MB'; SET preserve_insertion_order = false; SET allocator_flush_threshold = '16MB'; "
                       + "SET enable_external_file_cache = false; "
                       + $"SET threads = {(limits.Threads > 0 ? limits.Threads : Environment.ProcessorCount)}";
        var (connection, step, defaultCatalog) = await SharedDuckDb.AcquireAsync(settings, SpillSetting(cacheFolder), limits, inputBytes, waiting, cancellationToken);
        var engine = new LakeSqlEngine(catalog, objects, new DataFileCache(cacheFolder, cacheBytes), connection, (step, defaultCatalog, inputBytes));
        return await SettleAsync(engine, cancellationToken);
    }

    private static async Task<LakeSqlEngine> SettleAsync(LakeSqlEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RunAsync(UtcSetting, cancellationToken);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    // Dates and parts of timestamps (year, weekday) are taken in UTC, whatever the machine's zone, as the data contract says.
    private const string UtcSetting = "SET TimeZone = 'UTC'";

    private static string SpillSetting(string cacheFolder)
    {
        Directory.CreateDirectory(Path.Combine(cacheFolder, "spill"));
        return $"SET temp_directory = '{Path.Combine(cacheFolder, "spill").Replace("'", "''", StringComparison.Ordinal)}'";
    }

    /// <summary>
    /// Attaches every catalog table the SQL names (<c>ns.table</c>, optionally quoted), each at its selected snapshot, the
    /// others at <paramref name="fallback"/> (the current snapshot unless given). A selector for a table that does not exist
    /// is an error; one for a table the SQL does not name is attached too.
    /// </summary>
    public async Task<IReadOnlyList<SnapshotView>> AttachReferencedAsync(
        string sql, IReadOnlyDictionary<TableIdentifier, SnapshotSelector> selectors, CancellationToken cancellationToken, SnapshotSelector? fallback = null)
    {
        var tables = await _catalog.ListTablesAsync(null, cancellationToken);
        var unknown = selectors.Keys.FirstOrDefault(k => !tables.Contains(k));
        if (unknown is not null) throw new LakeSqlException($"No table {unknown}. Tables: {string.Join(", ", tables)}.");
        var attached = new List<SnapshotView>();
        foreach (var id in tables.Where(t => selectors.ContainsKey(t) || Names(sql, t)))
            attached.Add(await AttachAsync(id, selectors.GetValueOrDefault(id, fallback ?? SnapshotSelector.Current), cancellationToken));
        return attached;
    }

    /// <summary>
    /// Creates (or replaces) the view of one table at the selected snapshot, staging remote files first. With
    /// <paramref name="only"/>, the view holds only the rows whose column equals the value, and data files of other partition
    /// values are neither staged nor read (a Gold step of one course reads that course's files); a table without the column is whole.
    /// </summary>
    public async Task<SnapshotView> AttachAsync(TableIdentifier id, SnapshotSelector selector, CancellationToken cancellationToken, (string Column, string Value)? only = null) =>
        await AttachAsync(await ResolveStagedViewAsync(await _catalog.LoadAsync(id, cancellationToken) ?? throw new LakeSqlException($"No table {id}."),
            _objects, _cache, selector, only, cancellationToken), cancellationToken);

    /// <summary>Creates (or replaces) a view that <see cref="ResolveViewAsync"/> found.</summary>
    public async Task<SnapshotView> AttachAsync(SnapshotView view, CancellationToken cancellationToken)
    {
        await RunAsync(view.CreateSql(), cancellationToken);
        _views[view.Table] = view;
        return view;
    }

    /// <summary>
    /// The view of one table at the selected snapshot, its files staged, without an engine: a caller that must wait for the
    /// shared database finds its files first, and tells how much its query will read (<see cref="SnapshotView.Bytes"/>).
    /// <paramref name="only"/> is as for <c>AttachAsync</c> by table.
    /// </summary>
    public static Task<SnapshotView> ResolveViewAsync(ILakeTable table, IObjectStoreProvider objects, string cacheFolder, long cacheBytes,
        SnapshotSelector selector, (string Column, string Value)? only, CancellationToken cancellationToken) =>
        ResolveStagedViewAsync(table, objects, new DataFileCache(cacheFolder, cacheBytes), selector, only, cancellationToken);

    private static async Task<SnapshotView> ResolveStagedViewAsync(ILakeTable table, IObjectStoreProvider objects, DataFileCache cache,
        SnapshotSelector selector, (string Column, string Value)? only, CancellationToken cancellationToken)
    {
        var id = table.Id;
        var snapshotId = await ResolveAsync(table, selector, cancellationToken);
        IReadOnlyList<TableDataFile> files = snapshotId is null ? [] : await table.FilesAsync(snapshotId, cancellationToken);
        if (only is { } filter && table.Schema.Fields.Any(f => f.Name == filter.Column))
            files = files.Where(f => !f.PartitionValues.TryGetValue(filter.Column, out var value) || value == filter.Value).ToList();
        else only = null;
        return new SnapshotView(id, snapshotId, table.Schema, await LocalPathsAsync(objects, cache, id, files, cancellationToken), files.Sum(f => f.RecordCount))
            { Only = only, Bytes = files.Sum(f => f.SizeInBytes) };
    }

    /// <summary>Runs a statement and streams its result; SQL errors are <see cref="LakeSqlException"/>s with DuckDB's message.</summary>
    public async Task<DbDataReader> ExecuteReaderAsync(string sql, CancellationToken cancellationToken)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (DuckDBException e)
        {
            await command.DisposeAsync();
            throw new LakeSqlException(FirstLine(e.Message), e);
        }
    }

    /// <summary>The snapshot a selector names; null for a table without any snapshot yet (read as empty).</summary>
    private static async Task<long?> ResolveAsync(ILakeTable table, SnapshotSelector selector, CancellationToken cancellationToken)
    {
        var history = await table.HistoryAsync(cancellationToken);
        if (selector.SnapshotId is { } id)
            return history.Any(s => s.SnapshotId == id)
                ? id
                : throw new LakeSqlException($"Table {table.Id} has no snapshot {id} (it may have expired). Snapshots: {string.Join(", ", history.Select(s => s.SnapshotId))}.");
        if (selector.AsOf is { } at)
        {
            var before = history.Where(s => s.Timestamp <= at).ToList();
            if (before.Count == 0)
                throw new LakeSqlException(history.Count == 0
                    ? $"Table {table.Id} has no snapshot yet."
                    : $"Table {table.Id} has no snapshot at or before {at:yyyy-MM-dd HH:mm:ss}Z: its first is from {history[0].Timestamp:yyyy-MM-dd HH:mm:ss}Z.");
            return before[^1].SnapshotId;
        }
        return history.FirstOrDefault(s => s.IsCurrent)?.SnapshotId;
    }

    private static async Task<IReadOnlyList<string>> LocalPathsAsync(IObjectStoreProvider objects, DataFileCache cache, TableIdentifier id,
        IReadOnlyList<TableDataFile> files, CancellationToken cancellationToken)
    {
        var local = files.All(f => f.Path.StartsWith("file://", StringComparison.Ordinal));
        if (local) return files.Select(f => new Uri(f.Path).LocalPath).ToList();
        var store = objects.For(id.Namespace);
        return await cache.StageAsync(files.Select(f => new RemoteFile(store, MetadataFiles.KeyOfLocation(store, f.Path), f.Path, f.SizeInBytes)).ToList(), cancellationToken);
    }

    private async Task RunAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new LakeSqlException(FirstLine(e.Message), e);
        }
    }

    /// <summary>Whether the SQL names the table as <c>ns.table</c> (each part optionally double-quoted, any case).</summary>
    private static bool Names(string sql, TableIdentifier id) =>
        Regex.IsMatch(sql, $@"(?<![\w""])""?{Regex.Escape(id.Namespace)}""?\s*\.\s*""?{Regex.Escape(id.Name)}""?(?![\w""])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string FirstLine(string message) => message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;

    /// <summary>Closes the connection, and with it the in-memory database and its memory; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_shared is { } shared) SharedDuckDb.Release(Connection, shared.Catalog, shared.DefaultCatalog, shared.InputBytes);
        else await Connection.DisposeAsync();
    }
}
