using System.Text.Json.Nodes;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables.Iceberg;
using static Lakehouse.Core.Tables.Rest.RestJson;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>
/// A table catalog behind an Iceberg REST catalog (our own <c>tmlake serve</c>, AWS Glue's Iceberg endpoint, S3 Tables).
/// Data and manifest files are written to this lakehouse's buckets as with the SQL catalog; each commit is sent as
/// requirements and updates, so the server's requirement check is the compare-and-swap.
/// </summary>
internal sealed class RestTableCatalog(RestCatalogOptions options, IObjectStoreProvider objects, TimeProvider clock)
    : ITableCatalog, ITableCatalogAdmin, ITableOperations
{
    private readonly RestCatalogHttp _http = new(options, clock);

    public TimeProvider Clock { get; } = clock;

    public IObjectStore StoreOf(TableIdentifier id) => objects.For(id.Namespace);

    public LocalStaging Staging => objects.Staging;

    public async Task<ILakeTable> CreateOrLoadAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        var id = definition.Id;
        var table = await LoadTableAsync(id, cancellationToken);
        if (table is null)
        {
            if (await LoadNamespaceAsync(id.Namespace, cancellationToken) is null)
            {
                try
                {
                    await CreateNamespaceAsync(id.Namespace, new Dictionary<string, string>(), cancellationToken);
                }
                catch (CatalogException e) when (e.Kind == CatalogErrorKind.AlreadyExists)
                {
                    // Created at the same time by another process.
                }
            }
            var store = StoreOf(id);
            var metadata = TableMetadata.Create(definition, store.LocationOf(id.Name), Clock.GetUtcNow().ToUnixTimeMilliseconds());
            var request = new JsonObject
            {
                ["name"] = id.Name,
                ["location"] = metadata.Location,
                ["schema"] = JsonNode.Parse(MetadataJson.SchemaJson(metadata.CurrentSchema)),
                ["partition-spec"] = new JsonObject { ["spec-id"] = 0, ["fields"] = JsonNode.Parse(MetadataJson.SpecFieldsJson(metadata.DefaultSpec)) },
                ["write-order"] = new JsonObject { ["order-id"] = 0, ["fields"] = new JsonArray() },
                ["properties"] = new JsonObject(metadata.Properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            };
            try
            {
                var created = await _http.SendAsync(HttpMethod.Post, $"namespaces/{Segment(id.Namespace)}/tables", request, cancellationToken);
                table = ToTable(id, created ?? throw Bad($"Creating {id} returned no table."));
            }
            catch (CatalogException e) when (e.Kind == CatalogErrorKind.AlreadyExists)
            {
                table = await LoadTableAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Table {id} vanished while being created.");
            }
        }
        await table.EvolveAsync(definition, cancellationToken);
        return table;
    }

    public async Task<ILakeTable?> LoadAsync(TableIdentifier id, CancellationToken cancellationToken) => await LoadTableAsync(id, cancellationToken);

    private async Task<IcebergTable?> LoadTableAsync(TableIdentifier id, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Get, TablePath(id), null, cancellationToken, notFoundIsNull: true) is { } loaded ? ToTable(id, loaded) : null;

    public async Task<IReadOnlyList<TableIdentifier>> ListTablesAsync(string? ns, CancellationToken cancellationToken)
    {
        var result = new List<TableIdentifier>();
        foreach (var name in ns is null ? await ListNamespacesAsync(cancellationToken) : [ns])
        {
            List<JsonNode?> items;
            try
            {
                items = await PagesAsync($"namespaces/{Segment(name)}/tables", "identifiers", cancellationToken);
            }
            catch (CatalogException e) when (e.Kind == CatalogErrorKind.NoSuchNamespace)
            {
                continue; // as in the SQL catalog, a namespace nobody created holds no tables
            }
            foreach (var item in items)
                result.Add(new TableIdentifier(Namespace((JsonObject)item!, "namespace"), String((JsonObject)item!, "name")));
        }
        return result.OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<(string Location, TableMetadata Metadata)?> ReadCurrentAsync(TableIdentifier id, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Get, TablePath(id), null, cancellationToken, notFoundIsNull: true) is { } loaded ? Parse(loaded) : null;

    public async Task<(string Location, TableMetadata Metadata)?> CommitAsync(
        TableIdentifier id, string baseLocation, TableMetadata @base, TableMetadata next, CancellationToken cancellationToken)
    {
        var request = RestCommitDiff.Build(@base, next);
        request["identifier"] = IdentifierJson(id);
        try
        {
            return Parse(await _http.SendAsync(HttpMethod.Post, TablePath(id), request, cancellationToken) ?? throw Bad($"Committing {id} returned nothing."));
        }
        catch (CatalogException e) when (e.Kind == CatalogErrorKind.CommitFailed)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken) =>
        (await PagesAsync("namespaces", "namespaces", cancellationToken))
            .Select(n => n is JsonArray { Count: 1 } a ? a[0]!.GetValue<string>() : string.Join('.', ((JsonArray)n!).Select(p => p!.GetValue<string>())))
            .Order(StringComparer.Ordinal).ToList();

    public async Task CreateNamespaceAsync(string ns, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Post, "namespaces", new JsonObject
        {
            ["namespace"] = new JsonArray(ns),
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>?> LoadNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Get, $"namespaces/{Segment(ns)}", null, cancellationToken, notFoundIsNull: true) is { } loaded
            ? StringMap(loaded, "properties")
            : null;

    public async Task<NamespacePropertiesChange> UpdateNamespacePropertiesAsync(
        string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyCollection<string> removals, CancellationToken cancellationToken)
    {
        var answer = await _http.SendAsync(HttpMethod.Post, $"namespaces/{Segment(ns)}/properties", new JsonObject
        {
            ["updates"] = new JsonObject(updates.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["removals"] = new JsonArray(removals.Select(r => (JsonNode)r).ToArray()),
        }, cancellationToken) ?? [];
        return new NamespacePropertiesChange(Strings(answer, "updated"), Strings(answer, "removed"), answer["missing"] is null ? [] : Strings(answer, "missing"));
    }

    public async Task DropNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Delete, $"namespaces/{Segment(ns)}", null, cancellationToken);

    public async Task DropTableAsync(TableIdentifier id, bool purge, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Delete, TablePath(id) + (purge ? "?purgeRequested=true" : ""), null, cancellationToken);

    public async Task RenameTableAsync(TableIdentifier from, TableIdentifier to, CancellationToken cancellationToken) =>
        await _http.SendAsync(HttpMethod.Post, "tables/rename", new JsonObject { ["source"] = IdentifierJson(from), ["destination"] = IdentifierJson(to) }, cancellationToken);

    public async Task<ILakeTable> RegisterTableAsync(TableIdentifier id, string metadataLocation, CancellationToken cancellationToken)
    {
        var registered = await _http.SendAsync(HttpMethod.Post, $"namespaces/{Segment(id.Namespace)}/register",
            new JsonObject { ["name"] = id.Name, ["metadata-location"] = metadataLocation }, cancellationToken);
        return ToTable(id, registered ?? throw Bad($"Registering {id} returned no table."));
    }

    /// <summary>Every item of a listing, following <c>next-page-token</c> when the server pages.</summary>
    private async Task<List<JsonNode?>> PagesAsync(string path, string name, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode?>();
        string? token = null;
        do
        {
            var page = await _http.SendAsync(HttpMethod.Get, token is null ? path : $"{path}?pageToken={Uri.EscapeDataString(token)}", null, cancellationToken) ?? [];
            items.AddRange(ArrayOrEmpty(page, name).Select(n => n?.DeepClone()));
            token = OptionalString(page, "next-page-token");
        }
        while (!string.IsNullOrEmpty(token));
        return items;
    }

    private IcebergTable ToTable(TableIdentifier id, JsonObject loaded)
    {
        var (location, metadata) = Parse(loaded);
        return new IcebergTable(this, id, metadata, location);
    }

    private static (string Location, TableMetadata Metadata) Parse(JsonObject loaded)
    {
        var location = OptionalString(loaded, "metadata-location") ?? throw Bad("The REST catalog returned a table without a metadata-location.");
        return (location, MetadataJson.Read(Bytes(Object(loaded, "metadata")), location));
    }

    private static string TablePath(TableIdentifier id) => $"namespaces/{Segment(id.Namespace)}/tables/{Segment(id.Name)}";

    private static string Segment(string part) => Uri.EscapeDataString(part);

}
