using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.IcebergRest;

/// <summary>The REST catalog's wire protocol as a client sees it: config, the error model, requirements, staged creates, transactions, auth.</summary>
public sealed class IcebergRestProtocolTests : IAsyncLifetime
{
    private const string Schema = """{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","type":"long","required":true},{"id":2,"name":"tags","type":{"type":"list","element-id":3,"element":"string","element-required":false},"required":false}]}""";
    private DashboardServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DashboardServer.StartAsync(new ToyLakehouse());
        _client = _server.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync("iceberg/v1/" + path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var error = (await ApiAssertions.JsonAsync(response, status)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    private async Task<JsonElement> CreateEventsAsync()
    {
        await ApiAssertions.JsonAsync(await PostAsync("namespaces", """{"namespace":["analytics"],"properties":{"owner":"pace"}}"""));
        return await ApiAssertions.JsonAsync(await PostAsync("namespaces/analytics/tables", $$$"""{"name":"events","schema":{{{Schema}}},"properties":{"format-version":"2"}}"""));
    }

    [Fact]
    public async Task Config_ListsTheEndpoints_AndGivesAPrefixWhenAWarehouseIsNamed()
    {
        var config = await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/config"));
        var named = await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/config?warehouse=anything"));

        Assert.Contains("POST /v1/{prefix}/namespaces/{namespace}/tables/{table}", config.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
        Assert.False(config.GetProperty("overrides").TryGetProperty("prefix", out _));
        Assert.Equal("tmlake", named.GetProperty("overrides").GetProperty("prefix").GetString());
        await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/tmlake/namespaces"));
        await ErrorAsync(await _client.GetAsync("iceberg/v1/elsewhere/namespaces"), HttpStatusCode.NotFound, "NoSuchWarehouseException");
    }

    [Fact]
    public async Task MissingThings_AreTheSpecsErrorModel()
    {
        await ErrorAsync(await _client.GetAsync("iceberg/v1/namespaces/nowhere"), HttpStatusCode.NotFound, "NoSuchNamespaceException");
        await ErrorAsync(await _client.GetAsync("iceberg/v1/namespaces/silver/tables/nothing"), HttpStatusCode.NotFound, "NoSuchTableException");
        await ErrorAsync(await PostAsync("namespaces/nowhere/tables", $$$"""{"name":"t","schema":{{{Schema}}}}"""), HttpStatusCode.NotFound, "NoSuchNamespaceException");
        await ErrorAsync(await PostAsync("namespaces", "{not json"), HttpStatusCode.BadRequest, "BadRequestException");
        await ErrorAsync(await PostAsync("namespaces", """{"namespace":["a","b"]}"""), HttpStatusCode.BadRequest, "BadRequestException");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "iceberg/v1/namespaces/silver/tables/nothing"))).StatusCode);
    }

    [Fact]
    public async Task Create_KeepsNestedTypes_AndCommits_CheckRequirements_AndApplyUpdates()
    {
        var created = await CreateEventsAsync();
        var metadata = created.GetProperty("metadata");
        var uuid = metadata.GetProperty("table-uuid").GetString();
        Assert.Equal(3, metadata.GetProperty("last-column-id").GetInt32());
        Assert.Equal("list", metadata.GetProperty("schemas")[0].GetProperty("fields")[1].GetProperty("type").GetProperty("type").GetString());
        Assert.Matches("^file:///.*/tm-analytics/events$", metadata.GetProperty("location").GetString());
        await ErrorAsync(await PostAsync("namespaces/analytics/tables", $$$"""{"name":"events","schema":{{{Schema}}}}"""), HttpStatusCode.Conflict, "AlreadyExistsException");

        var commit = await ApiAssertions.JsonAsync(await PostAsync("namespaces/analytics/tables/events", $$$"""
            {"requirements":[{"type":"assert-table-uuid","uuid":"{{{uuid}}}"},{"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":null},{"type":"assert-current-schema-id","current-schema-id":0}],
             "updates":[{"action":"set-properties","updates":{"owner":"pace-team"}},
                        {"action":"add-schema","schema":{"type":"struct","fields":[{"id":1,"name":"id","type":"long","required":true},{"id":4,"name":"note","type":"string","required":false}]}},
                        {"action":"set-current-schema","schema-id":-1}]}
            """));
        var next = commit.GetProperty("metadata");
        Assert.Equal((1, 4), (next.GetProperty("current-schema-id").GetInt32(), next.GetProperty("last-column-id").GetInt32()));
        Assert.Equal("pace-team", next.GetProperty("properties").GetProperty("owner").GetString());
        Assert.Equal(created.GetProperty("metadata-location").GetString(), next.GetProperty("metadata-log")[0].GetProperty("metadata-file").GetString());
        Assert.Matches(@"/metadata/00001-[0-9a-f-]{36}\.metadata\.json$", commit.GetProperty("metadata-location").GetString());

        // The same requirement again no longer holds: the schema moved on.
        await ErrorAsync(await PostAsync("namespaces/analytics/tables/events", """{"requirements":[{"type":"assert-current-schema-id","current-schema-id":0}],"updates":[]}"""),
            HttpStatusCode.Conflict, "CommitFailedException");
        await ErrorAsync(await PostAsync("namespaces/analytics/tables/events", """{"requirements":[{"type":"assert-nothing"}],"updates":[]}"""),
            HttpStatusCode.BadRequest, "BadRequestException");
        await ErrorAsync(await PostAsync("namespaces/analytics/tables/events", """{"requirements":[],"updates":[{"action":"do-magic"}]}"""),
            HttpStatusCode.BadRequest, "BadRequestException");
        var loaded = await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/namespaces/analytics/tables/events"));
        Assert.Equal(commit.GetProperty("metadata-location").GetString(), loaded.GetProperty("metadata-location").GetString());
    }

    [Fact]
    public async Task StagedCreate_ThenCommitWithAssertCreate_CreatesTheTable_AndATransactionMovesTablesTogether()
    {
        await CreateEventsAsync();
        var staged = await ApiAssertions.JsonAsync(await PostAsync("namespaces/analytics/tables", $$$"""{"name":"staged","schema":{{{Schema}}},"stage-create":true}"""));
        Assert.Equal(JsonValueKind.Null, staged.GetProperty("metadata-location").ValueKind);
        await ErrorAsync(await _client.GetAsync("iceberg/v1/namespaces/analytics/tables/staged"), HttpStatusCode.NotFound, "NoSuchTableException");

        await ApiAssertions.JsonAsync(await PostAsync("namespaces/analytics/tables/staged", $$$"""
            {"requirements":[{"type":"assert-create"}],
             "updates":[{"action":"assign-uuid","uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1"},{"action":"upgrade-format-version","format-version":2},
                        {"action":"add-schema","schema":{{{Schema}}}},{"action":"set-current-schema","schema-id":-1},
                        {"action":"add-spec","spec":{"fields":[]}},{"action":"set-default-spec","spec-id":-1},
                        {"action":"add-sort-order","sort-order":{"order-id":0,"fields":[]}},{"action":"set-default-sort-order","sort-order-id":-1}]}
            """));
        var loaded = await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/namespaces/analytics/tables/staged"));
        Assert.Equal("9c12d441-03fe-4693-9a96-a0705ddf69c1", loaded.GetProperty("metadata").GetProperty("table-uuid").GetString());

        // One change's requirement fails: neither table moves.
        var failed = await PostAsync("transactions/commit", """
            {"table-changes":[
              {"identifier":{"namespace":["analytics"],"name":"events"},"requirements":[],"updates":[{"action":"set-properties","updates":{"a":"1"}}]},
              {"identifier":{"namespace":["analytics"],"name":"staged"},"requirements":[{"type":"assert-current-schema-id","current-schema-id":7}],"updates":[{"action":"set-properties","updates":{"a":"1"}}]}]}
            """);
        await ErrorAsync(failed, HttpStatusCode.Conflict, "CommitFailedException");
        var events = await ApiAssertions.JsonAsync(await _client.GetAsync("iceberg/v1/namespaces/analytics/tables/events"));
        Assert.False(events.GetProperty("metadata").GetProperty("properties").TryGetProperty("a", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("transactions/commit", """
            {"table-changes":[
              {"identifier":{"namespace":["analytics"],"name":"events"},"requirements":[],"updates":[{"action":"set-properties","updates":{"a":"1"}}]},
              {"identifier":{"namespace":["analytics"],"name":"staged"},"requirements":[],"updates":[{"action":"set-properties","updates":{"a":"2"}}]}]}
            """)).StatusCode);
        foreach (var (table, value) in new[] { ("events", "1"), ("staged", "2") })
        {
            var after = await ApiAssertions.JsonAsync(await _client.GetAsync($"iceberg/v1/namespaces/analytics/tables/{table}"));
            Assert.Equal(value, after.GetProperty("metadata").GetProperty("properties").GetProperty("a").GetString());
        }
    }

    [Fact]
    public async Task WithAnApiKey_EveryRoute_ReadsToo_NeedsTheBearerKey()
    {
        await using var server = await DashboardServer.StartAsync(new ToyLakehouse(), "k3y");
        using var client = server.Client();

        await ErrorAsync(await client.GetAsync("iceberg/v1/config"), HttpStatusCode.Unauthorized, "NotAuthorizedException");
        await ErrorAsync(await client.GetAsync("iceberg/v1/namespaces"), HttpStatusCode.Unauthorized, "NotAuthorizedException");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "iceberg/v1/namespaces") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        await ErrorAsync(await client.SendAsync(wrong), HttpStatusCode.Unauthorized, "NotAuthorizedException");
        using var right = new HttpRequestMessage(HttpMethod.Get, "iceberg/v1/namespaces") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "k3y") } };
        Assert.Equal(JsonValueKind.Array, (await ApiAssertions.JsonAsync(await client.SendAsync(right))).GetProperty("namespaces").ValueKind);
    }
}
