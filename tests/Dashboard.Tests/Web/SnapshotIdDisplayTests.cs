using System.Text.Json;
using Lakehouse.Core.Execution;

namespace Dashboard.Tests.Web;

/// <summary>Snapshot ids reach the reader as their exact digits, so they can be matched with `tmlake table history`.</summary>
public sealed class SnapshotIdDisplayTests
{
    private const long Snapshot = 7298094087566873971;

    private static readonly Dictionary<string, MetadataValue> Metadata = new()
    {
        ["snapshot_id"] = MetadataValue.Int(Snapshot),
        ["rows_out"] = MetadataValue.Int(4321),
    };

    [Fact]
    public void Html_ShowsTheSnapshotIdExactly_WithoutGroupingCommas_WhileCountsKeepThem()
    {
        var html = TmLakehouse.Dashboard.Web.MetadataView.Table(Metadata);

        Assert.Contains("<td data-key=\"snapshot_id\"><code>7298094087566873971</code></td>", html);
        Assert.Contains("<td data-key=\"rows_out\">4,321</td>", html);
    }

    [Fact]
    public void ApiJson_SendsTheSnapshotIdAsAString_SoAJavaScriptReaderDoesNotRoundIt()
    {
        var json = JsonSerializer.Serialize(TmLakehouse.Dashboard.Api.MetadataView.Of(Metadata), JsonSerializerOptions.Web);

        Assert.Contains("\"snapshot_id\":{\"kind\":\"id\",\"value\":\"7298094087566873971\"}", json);
        Assert.Contains("\"rows_out\":{\"kind\":\"int\",\"value\":4321}", json);
    }
}
