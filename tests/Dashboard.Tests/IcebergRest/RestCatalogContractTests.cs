using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Tests.Api;
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

    [Fact]
    public async Task ATmlakeCommit_AfterAnotherEnginesRestCommit_KeepsItsTagStatisticsAndProperties()
    {
        // The server's own SQL catalog is what tmlake materializations commit through.
        var tables = _server.Runtime.Resources.Tables;
        using var client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var table = await tables.CreateOrLoadAsync(Scores(), CancellationToken.None);
        await AppendAsync(table, [1, 2], "erin");
        var loaded = await ApiAssertions.JsonAsync(await client.GetAsync("iceberg/v1/namespaces/silver/tables/scores"));
        var snapshotId = loaded.GetProperty("metadata").GetProperty("current-snapshot-id").GetInt64();
        await ApiAssertions.JsonAsync(await client.PostAsync("iceberg/v1/namespaces/silver/tables/scores", Json($$$"""
            {"requirements":[{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":{{{snapshotId}}}}],
             "updates":[{"action":"set-snapshot-ref","ref-name":"audited","type":"tag","snapshot-id":{{{snapshotId}}}},
                        {"action":"set-statistics","statistics":{"snapshot-id":{{{snapshotId}}},"statistics-path":"s3://x/stats.puffin","file-size-in-bytes":10,"file-footer-size-in-bytes":4,"blob-metadata":[]}},
                        {"action":"set-properties","updates":{"owner":"spark-job"}}]}
            """)));

        await AppendAsync((await tables.LoadAsync(Scores().Id, CancellationToken.None))!, [3], "erin");

        var after = (await ApiAssertions.JsonAsync(await client.GetAsync("iceberg/v1/namespaces/silver/tables/scores"))).GetProperty("metadata");
        Assert.NotEqual(snapshotId, after.GetProperty("current-snapshot-id").GetInt64());
        Assert.Equal(snapshotId, after.GetProperty("refs").GetProperty("audited").GetProperty("snapshot-id").GetInt64());
        Assert.Equal("s3://x/stats.puffin", after.GetProperty("statistics")[0].GetProperty("statistics-path").GetString());
        Assert.Equal("spark-job", after.GetProperty("properties").GetProperty("owner").GetString());
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
