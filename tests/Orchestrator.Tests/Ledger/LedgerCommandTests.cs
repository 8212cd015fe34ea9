using System.Text.Json;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Ledger;

/// <summary>`tmlake ledger` as a user reads it after `tmlake land`: the rows with their hashes and origin, filters, JSON, and one row followed to its object.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LedgerCommandTests : IDisposable
{
    private readonly TmlakeHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Ledger_ListsTheLandedFiles_FiltersThem_AndShowFollowsARowToItsObject()
    {
        var data = Path.Combine(_home.Path, "incoming");
        await _home.OkAsync("sample-data", "--out", data, "--courses", "erinhills", "indiancreek", "--rounds", "20");
        var erin = Directory.GetFiles(data, "erinhills_*.csv").Order(StringComparer.Ordinal).First();
        var indian = Directory.GetFiles(data, "indiancreek_*").Order(StringComparer.Ordinal).First();
        await _home.OkAsync("land", erin, "--course", "erinhills", "--ingest-date", "2025-06-01");
        await _home.OkAsync("land", indian, "--course", "indiancreek", "--ingest-date", "2025-06-01");

        using var all = JsonDocument.Parse(await _home.OkAsync("ledger", "--json"));
        var rows = all.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        // Newest first.
        Assert.Equal($"course_id=indiancreek/ingest_date=2025-06-01/{Path.GetFileName(indian)}", rows[0].GetProperty("key").GetString());
        var erinRow = rows[1];
        Assert.Equal($"course_id=erinhills/ingest_date=2025-06-01/{Path.GetFileName(erin)}", erinRow.GetProperty("key").GetString());
        Assert.Equal(("bronze", "csv", "ingest_rounds"), (erinRow.GetProperty("layer").GetString(), erinRow.GetProperty("format").GetString(), erinRow.GetProperty("intent").GetString()));
        Assert.Equal(new FileInfo(erin).Length, erinRow.GetProperty("size").GetInt64());
        Assert.Equal(64, erinRow.GetProperty("sha256").GetString()!.Length);

        using var filtered = JsonDocument.Parse(await _home.OkAsync("ledger", "--key", "course_id=erinhills/", "--json"));
        Assert.Equal([erinRow.GetProperty("id").GetInt64()], filtered.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Contains("No ledger rows match.", await _home.OkAsync("ledger", "--batch", "b-none"), StringComparison.Ordinal);
        var table = await _home.OkAsync("ledger");
        Assert.Contains(Path.GetFileName(erin), table, StringComparison.Ordinal);
        Assert.Contains(erinRow.GetProperty("sha256").GetString()![..12], table, StringComparison.Ordinal);

        var id = erinRow.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var shown = JsonDocument.Parse(await _home.OkAsync("ledger", "show", id, "--json"));
        Assert.Equal("in_place", shown.RootElement.GetProperty("object").GetString());
        Assert.Contains("in place, carries this ledger id", await _home.OkAsync("ledger", "show", id), StringComparison.Ordinal);

        // The object removed behind the ledger's back: show says so and fails.
        File.Delete(Path.Combine(_home.Bucket("tm-bronze"), "course_id=erinhills", "ingest_date=2025-06-01", Path.GetFileName(erin)));
        var missing = await _home.RunAsync("ledger", "show", id);
        Assert.True(missing.Exit == 1, missing.ToString());
        Assert.Contains("MISSING", missing.Out, StringComparison.Ordinal);

        var unknown = await _home.RunAsync("ledger", "show", "999");
        Assert.True(unknown.Exit == 2, unknown.ToString());
        Assert.Contains("No ledger row 999", unknown.Error, StringComparison.Ordinal);
    }
}
