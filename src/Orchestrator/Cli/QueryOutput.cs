using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>Prints a query result as an aligned table (at most <see cref="TableRowLimit"/> rows), CSV or a JSON array; CSV and JSON stream.</summary>
internal static class QueryOutput
{
    public const int TableRowLimit = 10_000;

    public static async Task WriteAsync(DbDataReader reader, string format, TextWriter output, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        // DuckDB hands a timestamptz over as a DateTime in UTC: only the column type says it is an instant, to print with its zone.
        var zoned = Enumerable.Range(0, reader.FieldCount).Select(i => string.Equals(reader.GetDataTypeName(i), "TimestampTz", StringComparison.OrdinalIgnoreCase)).ToArray();
        string Cell(int i, bool full) => zoned[i] && reader.GetValue(i) is DateTime utc
            ? Text(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), full)
            : Text(reader.GetValue(i), full);
        switch (format)
        {
            case "csv":
                await using (var csv = CsvWriter.Create(output, CsvWriterOptions.Default, true))
                {
                    await csv.WriteRecordAsync(names.ToArray(), cancellationToken);
                    var cells = new string[names.Count];
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        for (var i = 0; i < cells.Length; i++) cells[i] = reader.IsDBNull(i) ? "" : Cell(i, full: true);
                        await csv.WriteRecordAsync(cells, cancellationToken);
                    }
                    await csv.FlushAsync(cancellationToken);
                }
                break;
            case "json":
                await WriteJsonAsync(reader, names, zoned, output, cancellationToken);
                break;
            default:
                var rows = new List<IReadOnlyList<string>>();
                var more = false;
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (rows.Count == TableRowLimit)
                    {
                        more = true;
                        break;
                    }
                    rows.Add(Enumerable.Range(0, names.Count).Select(i => reader.IsDBNull(i) ? "null" : Cell(i, full: false)).ToList());
                }
                TextTable.Write(output, names, rows);
                output.WriteLine(more ? $"(first {TableRowLimit:N0} rows shown; use --format csv or json for all)" : $"({rows.Count} row(s))");
                break;
        }
    }

    private static async Task WriteJsonAsync(DbDataReader reader, List<string> names, bool[] zoned, TextWriter output, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false });
        json.WriteStartArray();
        while (await reader.ReadAsync(cancellationToken))
        {
            json.WriteStartObject();
            for (var i = 0; i < names.Count; i++)
            {
                json.WritePropertyName(names[i]);
                if (reader.IsDBNull(i)) json.WriteNullValue();
                else if (zoned[i] && reader.GetValue(i) is DateTime utc) json.WriteStringValue(Text(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), full: true));
                else WriteJsonValue(json, reader.GetValue(i));
            }
            json.WriteEndObject();
            // Hand each row on, so a large result never sits in memory.
            await json.FlushAsync(cancellationToken);
            await output.WriteAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            buffer.SetLength(0);
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case bool b: json.WriteBooleanValue(b); break;
            case sbyte or byte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            default: json.WriteStringValue(Text(value, full: true)); break;
        }
    }

    /// <summary>One value as text: ISO dates and times (UTC), invariant numbers, hex bytes (shortened in the table).</summary>
    public static string Text(object value, bool full) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        byte[] bytes => Hex(bytes, full),
        Stream stream => Hex(ReadAll(stream), full),
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => JsonSerializer.Serialize(list),
        _ => value.ToString() ?? "",
    };

    private static string Hex(byte[] bytes, bool full)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return full || hex.Length <= 16 ? "0x" + hex : $"0x{hex[..16]}… ({bytes.Length} bytes)";
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
