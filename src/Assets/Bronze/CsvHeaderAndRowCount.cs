using System.Text;

namespace TmLakehouse.Assets.Bronze;

/// <summary>
/// Reads a CSV file once, streaming, with RFC 4180 quoting: returns the header fields and the number of data records
/// (records, not lines: a quoted field may hold line breaks). Only the header's fields are kept in memory.
/// </summary>
internal static class CsvHeaderAndRowCount
{
    private enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

    /// <summary>The header (null when the file holds no record at all), the data record count and the header's line count.</summary>
    internal sealed record Result(IReadOnlyList<string>? Header, long DataRows, long HeaderEndLine);

    /// <summary>Thrown for broken quoting; carries the line and the column so the caller can name them.</summary>
    internal sealed class MalformedCsvException(string message, long line) : Exception(message)
    {
        public long Line { get; } = line;
    }

    public static async Task<Result> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var buffer = new char[1 << 16];
        var state = State.FieldStart;
        long line = 1, quoteStartLine = 1, headerEndLine = 0, dataRows = 0;
        var fieldIndex = 0;
        var recordHasContent = false;
        List<string>? header = null;
        var headerFields = new List<string>();
        var field = new StringBuilder();

        void EndField()
        {
            if (header is null) headerFields.Add(field.ToString().Trim());
            field.Clear();
            fieldIndex++;
        }

        void EndRecord()
        {
            if (recordHasContent)
            {
                if (header is null)
                {
                    EndField();
                    header = headerFields;
                    headerEndLine = line;
                }
                else dataRows++;
            }
            field.Clear();
            fieldIndex = 0;
            recordHasContent = false;
        }

        string ColumnName() =>
            header is not null && fieldIndex < header.Count ? $"column {fieldIndex + 1} ({header[fieldIndex]})" : $"column {fieldIndex + 1}";

        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                switch (state)
                {
                    case State.FieldStart or State.Unquoted when c is '\n' or '\r':
                        // An empty record (a blank line, or the '\n' of "\r\n") is not a row.
                        EndRecord();
                        state = State.FieldStart;
                        break;
                    case State.FieldStart or State.Unquoted when c == ',':
                        recordHasContent = true;
                        EndField();
                        state = State.FieldStart;
                        break;
                    case State.FieldStart when c == '"':
                        recordHasContent = true;
                        quoteStartLine = line;
                        state = State.Quoted;
                        break;
                    case State.FieldStart or State.Unquoted:
                        recordHasContent = true;
                        if (header is null) field.Append(c);
                        state = State.Unquoted;
                        break;
                    case State.Quoted when c == '"':
                        state = State.QuoteInQuoted;
                        break;
                    case State.Quoted:
                        if (header is null) field.Append(c);
                        break;
                    case State.QuoteInQuoted when c == '"':
                        if (header is null) field.Append('"');
                        state = State.Quoted;
                        break;
                    case State.QuoteInQuoted when c == ',':
                        EndField();
                        state = State.FieldStart;
                        break;
                    case State.QuoteInQuoted when c is '\n' or '\r':
                        EndRecord();
                        state = State.FieldStart;
                        break;
                    case State.QuoteInQuoted:
                        throw new MalformedCsvException(
                            $"line {line}, {ColumnName()}: unexpected '{c}' after the closing quote of a quoted field (RFC 4180: a quote inside a quoted field is written \"\")", line);
                }
                if (c == '\n') line++;
            }
        }

        if (state == State.Quoted)
            throw new MalformedCsvException(
                $"line {quoteStartLine}, {ColumnName()}: a quoted field is never closed (the file ends inside it)", quoteStartLine);
        EndRecord();
        return new Result(header, dataRows, headerEndLine);
    }
}
