using System.Text.Json;

namespace TmLakehouse.Assets.Bronze;

/// <summary>
/// The cheap checks run before a file lands: readable, non-empty, the round columns present, at least one data row.
/// Reads the file once, streaming; returns the data row count or the first failure.
/// </summary>
internal static class BronzeFileChecks
{
    /// <summary>The CSV header columns every export must have.</summary>
    public static IReadOnlyList<string> RequiredCsvColumns { get; } = ["_id", "course", "locations[0].startTime"];

    /// <summary>The properties the first round of a JSON export must have.</summary>
    public static IReadOnlyList<string> RequiredJsonProperties { get; } = ["_id", "course", "locations"];

    public static bool IsJson(string path) => string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase);

    public static async Task<(long Rows, BronzeCheckFailure? Failure)> InspectAsync(string path, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = FileHashing.OpenSequential(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (0, new BronzeCheckFailure("unreadable", $"{path}: cannot be read ({e.Message})"));
        }

        await using (file)
        {
            if (file.Length == 0) return (0, new BronzeCheckFailure("empty_file", $"{path}: the file is empty (0 bytes)"));
            return IsJson(path) ? await InspectJsonAsync(path, file, cancellationToken) : await InspectCsvAsync(path, file, cancellationToken);
        }
    }

    private static async Task<(long, BronzeCheckFailure?)> InspectCsvAsync(string path, Stream file, CancellationToken cancellationToken)
    {
        CsvHeaderAndRowCount.Result result;
        try
        {
            result = await CsvHeaderAndRowCount.ReadAsync(file, cancellationToken);
        }
        catch (CsvHeaderAndRowCount.MalformedCsvException e)
        {
            return (0, new BronzeCheckFailure("malformed_csv", $"{path} {e.Message}"));
        }

        if (result.Header is null)
            return (0, new BronzeCheckFailure("no_header", $"{path}: no header row (the file holds only blank lines)"));
        var missing = RequiredCsvColumns.Where(c => !result.Header.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
            return (result.DataRows, new BronzeCheckFailure("missing_column",
                $"{path} line {result.HeaderEndLine}: the header lacks column(s) {string.Join(", ", missing)}", result.DataRows));
        if (result.DataRows == 0)
            return (0, new BronzeCheckFailure("no_data_rows",
                $"{path} line {result.HeaderEndLine + 1}: no data row after the header"));
        return (result.DataRows, null);
    }

    private static async Task<(long, BronzeCheckFailure?)> InspectJsonAsync(string path, Stream file, CancellationToken cancellationToken)
    {
        var first = await FirstSignificantByteAsync(file, cancellationToken);
        if (first != '[')
            return (0, new BronzeCheckFailure("not_json_array",
                $"{path} line 1: a JSON export must be an array of rounds, but it starts with {(first < 0 ? "nothing" : $"'{(char)first}'")}"));
        file.Position = 0;

        long rows = 0;
        var rounds = new JsonArrayElements(file);
        try
        {
            // Elements come one at a time, so memory holds one round, never the whole export.
            while (await rounds.MoveNextAsync(cancellationToken))
            {
                rows++;
                if (rows > 1) continue;
                if (rounds.CurrentType != JsonTokenType.StartObject)
                    return (0, new BronzeCheckFailure("not_a_round", $"{path} element 1: a round must be a JSON object, found {JsonArrayElements.KindOf(rounds.CurrentType)}"));
                var present = TopLevelProperties(rounds.Current.Span);
                var missing = RequiredJsonProperties.Where(p => !present.Contains(p)).ToList();
                if (missing.Count > 0)
                    return (0, new BronzeCheckFailure("missing_column",
                        $"{path} element 1: the first round lacks {string.Join(", ", missing)}"));
            }
        }
        catch (JsonException e)
        {
            return (rows, new BronzeCheckFailure("malformed_json",
                $"{path} line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: malformed JSON after {rows} round(s) ({FirstLine(e.Message)})", rows));
        }

        return rows == 0
            ? (0, new BronzeCheckFailure("no_data_rows", $"{path}: the JSON array holds no round"))
            : (rows, null);
    }

    /// <summary>The names of an object's own properties (unescaped), from its JSON text.</summary>
    private static HashSet<string> TopLevelProperties(ReadOnlySpan<byte> json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            names.Add(reader.GetString()!);
            reader.Read();
            reader.Skip();
        }
        return names;
    }

    /// <summary>The first byte that is neither whitespace nor a UTF-8 byte order mark; -1 at the end.</summary>
    private static async Task<int> FirstSignificantByteAsync(Stream file, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            for (var i = 0; i < read; i++)
                if (buffer[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
                    return buffer[i];
        return -1;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
