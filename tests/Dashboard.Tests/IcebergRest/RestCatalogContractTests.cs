using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Tests.Support;
using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;
using Lakehouse.Core.Tables.Rest;
using TestSupport;

namespace Dashboard.Tests.IcebergRest;

/// <summary>The catalog contract through the REST catalog client, against our own `tmlake serve` app on loopback with an API key.</summary>
public sealed class RestCatalogContractTests : TableCatalogContract, IAsyncLifetime
{
    private const string Key = "contract-key";
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(new ToyLakehouse(), Key);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected override ITableCatalog NewCatalog() => TableCatalogs.Rest(
        new RestCatalogOptions(new Uri(_server.BaseAddress, "iceberg")) { Auth = CatalogAuthKind.Bearer, Token = Key },
        new LocalObjectStoreProvider(new LakehouseOptions { Home = _server.Home }), TimeProvider.System);

    protected override async Task<string> MetadataLocationAsync(TableIdentifier id)
    {
        using var client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"iceberg/v1/namespaces/{id.Namespace}/tables/{id.Name}"));
        return json.RootElement.GetProperty("metadata-location").GetString()!;
    }
}
