using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Lakehouse.Core.Tables;
using static Lakehouse.Core.Tests.Tables.TableTestLake;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

/// <summary>Other engines read what we write: icebird (JavaScript, from npm) through the table metadata, DuckDB through the snapshot's data files.</summary>
public sealed class IcebergInteropTests : IDisposable
{
    private static readonly DateOnly May1 = new(2024, 5, 1);
    private static readonly DateOnly May2 = new(2024, 5, 2);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>Two appends, a partition replace and a copy-on-write replace, so readers must honour DELETED and EXISTING entries.</summary>
    private async Task<(ILakeTable Table, List<EventRow> Expected)> WriteTableAsync()
    {
        var table = await _lake.CreateEventsAsync();
        await AppendAsync(table, Enumerable.Range(1, 30).Select(i => Row(i, "erin", May1)).ToList());
        await AppendAsync(table, Enumerable.Range(100, 20).Select(i => Row(i, "pebble", May2)).ToList());
        var fresh = Enumerable.Range(200, 12).Select(i => Row(i, "erin", May1)).ToList();
        await ReplaceAsync(table, RowFilter.Where(("course", "erin"), ("day", May1)), fresh);
        await ReplaceAsync(table, RowFilter.Where(("hole", 5)), []);
        var expected = fresh.Concat(Enumerable.Range(100, 20).Select(i => Row(i, "pebble", May2))).Where(r => r.Hole != 5).ToList();
        AssertSameRows(expected, await ReadAsync(table));
        return (table, expected);
    }

    [Fact]
    public async Task DuckDb_ReadingTheCurrentSnapshotsFiles_SeesTheSameRows()
    {
        var (table, expected) = await WriteTableAsync();
        var files = await table.FilesAsync(null, CancellationToken.None);
        var list = string.Join(", ", files.Select(f => $"'{new Uri(f.Path).LocalPath.Replace("'", "''")}'"));

        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "id", "course", "day", epoch_us("at"), "score", "flag", hex("payload"), "hole" FROM read_parquet([{list}]) ORDER BY "id" """;
        var rows = new List<EventRow>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(new EventRow(
                    reader.GetInt64(0), reader.GetString(1), DateOnly.FromDateTime(reader.GetDateTime(2)),
                    reader.IsDBNull(3) ? null : DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(3) * 10),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetBoolean(5),
                    reader.IsDBNull(6) ? null : Convert.FromHexString(reader.GetString(6)),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7)));
            }
        }
        AssertSameRows(expected, rows);

        // Field ids are what engines map columns by (DuckDB's iceberg reader, PyIceberg, Trino).
        command.CommandText = $"SELECT name, field_id FROM parquet_schema({list.Split(", ")[0]}) WHERE field_id IS NOT NULL ORDER BY field_id";
        var ids = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add($"{reader.GetString(0)}={reader.GetInt32(1)}");
        Assert.Equal(["id=1", "course=2", "day=3", "at=4", "score=5", "flag=6", "payload=7", "hole=8"], ids);
        command.CommandText = $"SELECT type, logical_type FROM parquet_schema({list.Split(", ")[0]}) WHERE name = 'at'";
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal("INT64", reader.GetString(0));
            Assert.Contains("isAdjustedToUTC=1", reader.GetString(1).Replace(" ", "").Replace("true", "1"));
        }
    }

    [Fact]
    public async Task Icebird_ReadingTheTableMetadata_SeesTheSameRows()
    {
        var (table, expected) = await WriteTableAsync();
        var metadataDir = _lake.Store.PathOf("events/metadata");
        var latest = Directory.GetFiles(metadataDir, "*.metadata.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;
        var tableUrl = _lake.Store.LocationOf("events");

        var output = await NodeInterop.RunAsync("read-table.mjs", tableUrl, latest);

        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected.Count, json.RootElement.GetProperty("count").GetInt32());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => new EventRow(
            long.Parse(r.GetProperty("id").GetString()!, CultureInfo.InvariantCulture),
            r.GetProperty("course").GetString()!,
            DateOnly.FromDateTime(r.GetProperty("day").GetDateTime()),
            r.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String ? new DateTimeOffset(at.GetDateTime().ToUniversalTime(), TimeSpan.Zero) : null,
            r.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : null,
            r.TryGetProperty("flag", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean() : null,
            // icebird 0.3.1 decodes every BYTE_ARRAY as UTF-8 text, so binary values survive only as present or absent.
            r.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.String ? [] : null,
            r.TryGetProperty("hole", out var hole) && hole.ValueKind == JsonValueKind.Number ? hole.GetInt32() : null)).OrderBy(r => r.Id).ToList();
        AssertSameRows(expected.Select(e => e with { Payload = e.Payload is null ? null : [] }).ToList(), rows);
        Assert.Equal((await table.FilesAsync(null, CancellationToken.None)).Sum(f => f.RecordCount), expected.Count);
    }
}
