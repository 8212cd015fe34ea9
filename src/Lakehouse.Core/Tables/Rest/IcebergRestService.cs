using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Catalog;
using Lakehouse.Core.Tables.Iceberg;
using static Lakehouse.Core.Tables.Rest.RestJson;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// The Iceberg REST catalog protocol (open-api/rest-catalog-open-api.yaml) over this lakehouse's SQL catalog, free of any web
/// framework: each method takes what a route carries and returns a <see cref="RestResponse"/>. Commits check their
/// requirements, apply their updates to the metadata JSON, write the next metadata file and swap the catalog pointer with
/// the same compare-and-swap tmlake's own commits use; a lost race re-checks the requirements against the winner's state.
/// </summary>
public sealed class IcebergRestService
{
    /// <summary>The routes <c>GET /v1/config</c> advertises (the spec's endpoint names).</summary>
    public static IReadOnlyList<string> Endpoints { get; } =
    [
        "GET /v1/{prefix}/namespaces", "POST /v1/{prefix}/namespaces", "GET /v1/{prefix}/namespaces/{namespace}",
        "HEAD /v1/{prefix}/namespaces/{namespace}", "DELETE /v1/{prefix}/namespaces/{namespace}",
        "POST /v1/{prefix}/namespaces/{namespace}/properties", "GET /v1/{prefix}/namespaces/{namespace}/tables",
        "POST /v1/{prefix}/namespaces/{namespace}/tables", "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
        "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}", "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
        "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}", "POST /v1/{prefix}/namespaces/{namespace}/register",
        "POST /v1/{prefix}/tables/rename", "POST /v1/{prefix}/transactions/commit",
    ];

    private const int MaxCommitAttempts = 20;
    private const int MetadataLogMax = 100;
    private readonly SqlTableCatalog _catalog;

    private IcebergRestService(SqlTableCatalog catalog) => _catalog = catalog;

    /// <summary>The service over a SQL catalog; null for a catalog it cannot serve (an external REST catalog serves itself).</summary>
    public static IcebergRestService? For(ITableCatalog catalog) => catalog is SqlTableCatalog sql ? new IcebergRestService(sql) : null;

    /// <summary>The one warehouse (and URL prefix) this server has: the catalog's name.</summary>
    public string Warehouse => _catalog.Name;

    public RestResponse Config(string? warehouse)
    {
        var overrides = new JsonObject();
        // A client that names a warehouse builds its paths with the prefix the server returns.
        if (!string.IsNullOrEmpty(warehouse)) overrides["prefix"] = Warehouse;
        return RestResponse.Ok(new JsonObject
        {
            ["defaults"] = new JsonObject(),
            ["overrides"] = overrides,
            ["endpoints"] = new JsonArray(Endpoints.Select(e => (JsonNode)e).ToArray()),
        });
    }

    /// <summary>Null when the prefix is this server's warehouse; otherwise the 404 to answer.</summary>
    public RestResponse? CheckPrefix(string prefix) => prefix == Warehouse
        ? null
        : RestErrors.Error(404, "NoSuchWarehouseException", $"No warehouse '{prefix}': this server has one, '{Warehouse}'.");

    public async Task<RestResponse> ListNamespacesAsync(string? parent, string? pageToken, int? pageSize, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> namespaces = await _catalog.ListNamespacesAsync(cancellationToken);
        if (!string.IsNullOrEmpty(parent))
        {
            var ns = PathNamespace(parent);
            if (!namespaces.Contains(ns)) throw CatalogException.NoSuchNamespace(ns);
            namespaces = [];
        }
        return Page(namespaces.Select(n => (JsonNode)new JsonArray(n)).ToList(), "namespaces", pageToken, pageSize);
    }

    public async Task<RestResponse> CreateNamespaceAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body.Span, "create-namespace request");
        var ns = Namespace(request, "namespace");
        var properties = StringMap(request, "properties");
        await _catalog.CreateNamespaceAsync(ns, properties, cancellationToken);
        return RestResponse.Ok(new JsonObject { ["namespace"] = new JsonArray(ns), ["properties"] = MapJson(properties) });
    }

    public async Task<RestResponse> LoadNamespaceAsync(string path, CancellationToken cancellationToken)
    {
        var ns = PathNamespace(path);
        var properties = await _catalog.LoadNamespaceAsync(ns, cancellationToken) ?? throw CatalogException.NoSuchNamespace(ns);
        return RestResponse.Ok(new JsonObject { ["namespace"] = new JsonArray(ns), ["properties"] = MapJson(properties) });
    }

    public async Task<RestResponse> NamespaceExistsAsync(string path, CancellationToken cancellationToken) =>
        await _catalog.LoadNamespaceAsync(PathNamespace(path), cancellationToken) is null ? new RestResponse(404) : RestResponse.NoContent;

    public async Task<RestResponse> DropNamespaceAsync(string path, CancellationToken cancellationToken)
    {
        await _catalog.DropNamespaceAsync(PathNamespace(path), cancellationToken);
        return RestResponse.NoContent;
    }

    public async Task<RestResponse> UpdateNamespacePropertiesAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body.Span, "update-properties request");
        var change = await _catalog.UpdateNamespacePropertiesAsync(PathNamespace(path), StringMap(request, "updates"), Strings(request, "removals"), cancellationToken);
        return RestResponse.Ok(new JsonObject
        {
            ["updated"] = new JsonArray(change.Updated.Select(k => (JsonNode)k).ToArray()),
            ["removed"] = new JsonArray(change.Removed.Select(k => (JsonNode)k).ToArray()),
            ["missing"] = change.Missing.Count == 0 ? null : new JsonArray(change.Missing.Select(k => (JsonNode)k).ToArray()),
        });
    }

    public async Task<RestResponse> ListTablesAsync(string path, string? pageToken, int? pageSize, CancellationToken cancellationToken)
    {
        var ns = PathNamespace(path);
        if (await _catalog.LoadNamespaceAsync(ns, cancellationToken) is null) throw CatalogException.NoSuchNamespace(ns);
        var tables = await _catalog.ListTablesAsync(ns, cancellationToken);
        return Page(tables.Select(t => (JsonNode)IdentifierJson(t)).ToList(), "identifiers", pageToken, pageSize);
    }

    public async Task<RestResponse> CreateTableAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var ns = PathNamespace(path);
        var request = ParseObject(body.Span, "create-table request");
        var id = new TableIdentifier(ns, String(request, "name"));
        if (await _catalog.LoadNamespaceAsync(ns, cancellationToken) is null) throw CatalogException.NoSuchNamespace(ns);
        if (await _catalog.ReadLocationAsync(id, cancellationToken) is not null) throw AlreadyExists(id);
        var store = _catalog.StoreOf(id);
        var location = OptionalString(request, "location")?.TrimEnd('/') ?? store.LocationOf(id.Name);
        var tableKey = TableKeyOf(store, location);
        var metadata = NewTableMetadata.FromRequest(request, location, _catalog.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (OptionalBool(request, "stage-create")) return LoadResult(null, metadata);
        var created = await _catalog.CreateAsync(id, tableKey, Bytes(metadata), cancellationToken) ?? throw AlreadyExists(id);
        return LoadResult(created, metadata);
    }

    public async Task<RestResponse> LoadTableAsync(string path, string table, string? snapshots, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var id = new TableIdentifier(PathNamespace(path), table);
        var location = await _catalog.ReadLocationAsync(id, cancellationToken) ?? throw CatalogException.NoSuchTable(id);
        if (ifNoneMatch is not null && ifNoneMatch.Trim() == ETagOf(location)) return new RestResponse(304, null, ETagOf(location));
        var metadata = await ReadJsonAsync(id, location, cancellationToken);
        if (snapshots == "refs" && metadata["snapshots"] is JsonArray all)
        {
            var referenced = (metadata["refs"] as JsonObject ?? []).Select(r => Long((JsonObject)r.Value!, "snapshot-id")).ToHashSet();
            foreach (var s in all.OfType<JsonObject>().Where(s => !referenced.Contains(Long(s, "snapshot-id"))).ToList()) all.Remove(s);
        }
        else if (snapshots is not (null or "" or "all"))
        {
            throw Bad($"snapshots={snapshots}: expected 'all' or 'refs'.");
        }
        return LoadResult(location, metadata);
    }

    public async Task<RestResponse> TableExistsAsync(string path, string table, CancellationToken cancellationToken) =>
        await _catalog.ReadLocationAsync(new TableIdentifier(PathNamespace(path), table), cancellationToken) is null ? new RestResponse(404) : RestResponse.NoContent;

    public async Task<RestResponse> DropTableAsync(string path, string table, bool purge, CancellationToken cancellationToken)
    {
        await _catalog.DropTableAsync(new TableIdentifier(PathNamespace(path), table), purge, cancellationToken);
        return RestResponse.NoContent;
    }

    public async Task<RestResponse> RenameTableAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body.Span, "rename request");
        await _catalog.RenameTableAsync(Identifier(request, "source"), Identifier(request, "destination"), cancellationToken);
        return RestResponse.NoContent;
    }

    public async Task<RestResponse> RegisterTableAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body.Span, "register request");
        var id = new TableIdentifier(PathNamespace(path), String(request, "name"));
        if (OptionalBool(request, "overwrite"))
            throw new CatalogException(CatalogErrorKind.Unsupported, "Registering over an existing table (overwrite=true) is not supported: drop it first.");
        var location = String(request, "metadata-location");
        await _catalog.RegisterTableAsync(id, location, cancellationToken);
        return LoadResult(location, await ReadJsonAsync(id, location, cancellationToken));
    }

    public async Task<RestResponse> CommitTableAsync(string path, string table, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var id = new TableIdentifier(PathNamespace(path), table);
        var request = ParseObject(body.Span, "commit request");
        if (request["identifier"] is JsonObject && Identifier(request, "identifier") != id)
            throw Bad($"The commit's identifier {Identifier(request, "identifier")} is not the table of the path, {id}.");
        var committed = await CommitAsync([new TableChange(id, Array(request, "requirements"), Array(request, "updates"))], cancellationToken);
        var (location, metadata) = committed[0];
        return RestResponse.Ok(new JsonObject { ["metadata-location"] = location, ["metadata"] = metadata }, ETagOf(location));
    }

    public async Task<RestResponse> CommitTransactionAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var request = ParseObject(body.Span, "transaction request");
        var changes = Array(request, "table-changes").Select(n => n as JsonObject ?? throw Bad("Each table change must be an object."))
            .Select(c => new TableChange(c["identifier"] is JsonObject ? Identifier(c, "identifier") : throw Bad("Each table change needs an 'identifier'."),
                Array(c, "requirements"), Array(c, "updates")))
            .ToList();
        var twice = changes.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw Bad($"Table {twice.Key} appears twice in one transaction; put its updates in one change.");
        await CommitAsync(changes, cancellationToken);
        return RestResponse.NoContent;
    }

    private sealed record TableChange(TableIdentifier Id, JsonArray Requirements, JsonArray Updates);

    /// <summary>All changes move together or none: requirements checked, updates applied, one swap of every pointer, retried on a lost race.</summary>
    private async Task<List<(string Location, JsonObject Metadata)>> CommitAsync(IReadOnlyList<TableChange> changes, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pending = new List<PendingSwap>();
            var results = new List<(string, JsonObject)>();
            try
            {
                foreach (var change in changes)
                {
                    var baseLocation = await _catalog.ReadLocationAsync(change.Id, cancellationToken);
                    var current = baseLocation is null ? null : await ReadJsonAsync(change.Id, baseLocation, cancellationToken);
                    MetadataRequirements.Check(current, change.Requirements, change.Id);
                    if (current is null && await _catalog.LoadNamespaceAsync(change.Id.Namespace, cancellationToken) is null)
                        throw CatalogException.NoSuchNamespace(change.Id.Namespace);
                    var next = Next(change, baseLocation, current);
                    var swap = await _catalog.WriteNextAsync(change.Id, TableKeyOf(_catalog.StoreOf(change.Id), String(next, "location")), baseLocation, Bytes(next), cancellationToken);
                    pending.Add(swap);
                    results.Add((swap.NextLocation, next));
                }
            }
            catch
            {
                await DeleteWrittenAsync(pending);
                throw;
            }
            if (await _catalog.SwapAllAsync(pending, cancellationToken)) return results;
            if (attempt == MaxCommitAttempts)
                throw new CatalogException(CatalogErrorKind.CommitFailed, $"Could not commit {string.Join(", ", changes.Select(c => c.Id))} after {attempt} attempts: other writers kept winning.");
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 5 * Math.Pow(1.6, attempt)) * (0.5 + Random.Shared.NextDouble())), cancellationToken);
        }
    }

    private JsonObject Next(TableChange change, string? baseLocation, JsonObject? current)
    {
        var nowMs = _catalog.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var next = current is null ? NewTableMetadata.Empty() : (JsonObject)current.DeepClone();
        MetadataUpdates.Apply(next, change.Updates, nowMs);
        if (current is null) NewTableMetadata.Complete(next, _catalog.StoreOf(change.Id).LocationOf(change.Id.Name), change.Id);
        next["last-updated-ms"] = Math.Max(nowMs, OptionalLong(next, "last-updated-ms") ?? 0);
        if (baseLocation is not null && current is not null)
        {
            if (next["metadata-log"] is not JsonArray log) next["metadata-log"] = log = [];
            log.Add(new JsonObject { ["timestamp-ms"] = OptionalLong(current, "last-updated-ms") ?? nowMs, ["metadata-file"] = baseLocation });
            while (log.Count > MetadataLogMax) log.RemoveAt(0);
        }
        return next;
    }

    private async Task DeleteWrittenAsync(IEnumerable<PendingSwap> pending)
    {
        foreach (var swap in pending)
        {
            var store = _catalog.StoreOf(swap.Id);
            await store.DeleteAsync(MetadataFiles.KeyOfLocation(store, swap.NextLocation), CancellationToken.None);
        }
    }

    private async Task<JsonObject> ReadJsonAsync(TableIdentifier id, string location, CancellationToken cancellationToken)
    {
        var store = _catalog.StoreOf(id);
        var bytes = await MetadataFiles.ReadBytesAsync(store, MetadataFiles.KeyOfLocation(store, location), cancellationToken);
        return ParseObject(bytes, $"metadata file {location}");
    }

    private static string TableKeyOf(IObjectStore store, string location)
    {
        try
        {
            return MetadataFiles.TableKeyOf(store, location);
        }
        catch (InvalidDataException e)
        {
            throw Bad(e.Message);
        }
    }

    private static RestResponse LoadResult(string? location, JsonObject metadata) => RestResponse.Ok(
        new JsonObject { ["metadata-location"] = location, ["metadata"] = metadata, ["config"] = new JsonObject() },
        location is null ? null : ETagOf(location));

    /// <summary>A table's ETag: its metadata location changes with every commit, so it identifies the metadata.</summary>
    private static string ETagOf(string location) => $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)))[..32]}\"";

    private static RestResponse Page(List<JsonNode> items, string name, string? pageToken, int? pageSize)
    {
        // Without a page token everything comes in one response, as the spec asks of servers that paginate.
        if (pageToken is null || pageSize is not > 0) return RestResponse.Ok(new JsonObject { [name] = new JsonArray(items.ToArray()) });
        var start = pageToken == "" ? 0 : int.TryParse(pageToken, out var s) && s >= 0 ? s : throw Bad($"pageToken '{pageToken}' is not one this server gave out.");
        var page = items.Skip(start).Take(pageSize.Value).ToArray();
        var next = start + page.Length < items.Count ? (start + page.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return RestResponse.Ok(new JsonObject { [name] = new JsonArray(page), ["next-page-token"] = next });
    }

    /// <summary>A namespace path parameter; levels are separated by the unit separator (<c>%1F</c>), and this catalog has one level.</summary>
    private static string PathNamespace(string path)
    {
        if (path.Contains('\u001f')) throw Bad($"Namespace '{path.Replace('\u001f', '.')}' has several levels; this catalog has one-level namespaces.");
        return path;
    }

    private static JsonObject MapJson(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v;
        return o;
    }

    private static CatalogException AlreadyExists(TableIdentifier id) => new(CatalogErrorKind.AlreadyExists, $"Table already exists: {id}");
}
