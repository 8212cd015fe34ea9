using System.Text;

namespace TmLakehouse.Assets.SampleData;

/// <summary>Writes rounds as a flattened CSV (RFC 4180 quoting, LF line ends), one line per round, padding narrower rounds.</summary>
internal sealed class CsvExportWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly IReadOnlyList<ExportColumn> _columns;

    public CsvExportWriter(string path, IReadOnlyList<ExportColumn> columns)
    {
        _writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        _columns = columns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) _writer.Write(',');
            Write(columns[i].Name);
        }
        _writer.Write('\n');
    }

    public void Write(SampleRound round)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) _writer.Write(',');
            var text = SampleText.Of(round, _columns[i]);
            if (text is not null) Write(text);
        }
        _writer.Write('\n');
    }

    private void Write(string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(text);
            return;
        }
        _writer.Write('"');
        _writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void Dispose() => _writer.Dispose();
}
