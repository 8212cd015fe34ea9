using System.Text.Unicode;
using CsvHelper;

namespace TmLakehouse.Assets.Silver;

/// <summary>Reads a flattened CSV export (RFC 4180, any column order and slot count) with CsvHelper's UTF-8 reader.</summary>
internal sealed class CsvRoundReader : IRoundReader
{
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',',
        DetectSeparatorHint = false,
        HasHeader = true,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Allow, // checked here, to say which line and how many cells
        MaxRecordSize = 64 << 20,
    };

    private static readonly long[] Discard = new long[SilverColumn.Count + 1];

    private readonly SilverInput _input;
    private readonly SniffedStream _stream;
    private readonly CsvReader _csv;
    private readonly CsvLayout _layout;
    private readonly int[] _rounds;
    private readonly int[][] _slots;

    private CsvRoundReader(SilverInput input, SniffedStream stream, CsvReader csv, CsvLayout layout)
    {
        _input = input;
        _stream = stream;
        _csv = csv;
        _layout = layout;
        _rounds = layout.RoundColumns;
        _slots = layout.SlotColumns;
    }

    public long BytesRead => _stream.BytesRead;

    public static async Task<CsvRoundReader> OpenAsync(SilverInput input, SniffedStream stream, CancellationToken cancellationToken)
    {
        var csv = CsvReader.Create(stream, Options, leaveOpen: false);
        try
        {
            await Guard(input, () => csv.ReadHeaderAsync(cancellationToken), cancellationToken);
            var headers = csv.Headers;
            if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
                throw new SilverInputException(input.Name, 1, null, "the file is empty: expected a header row.");
            for (var c = 0; c < headers.Count; c++)
                if (headers[c].Contains('\uFFFD') || headers[c].Any(char.IsControl))
                    throw new SilverInputException(input.Name, 1, $"#{c + 1}", "the header is not UTF-8 text (binary or non-UTF-8 bytes).");
            var layout = CsvLayout.From(input.Name, headers);
            return new CsvRoundReader(input, stream, csv, layout);
        }
        catch
        {
            await csv.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<bool> ReadAsync(RoundRecord round, bool keysOnly, long[] malformed, CancellationToken cancellationToken)
    {
        var more = await Guard(_input, () => _csv.ReadAsync(cancellationToken), cancellationToken);
        if (!more)
        {
            if (_csv.RowNumber == 0)
                throw new SilverInputException(_input.Name, 2, null, "the file has a header but no data rows.");
            return false;
        }
        CheckShape(validateBytes: keysOnly);
        round.Reset();
        round.Line = _csv.LineNumber;
        if (keysOnly) ReadKeys(round);
        else ReadFull(round, malformed);
        return true;
    }

    /// <summary>The cell count always; the bytes only in the first pass, which reads the same bytes before the second.</summary>
    private void CheckShape(bool validateBytes)
    {
        var cells = _csv.FieldCount;
        var expected = _layout.Headers.Count;
        if (cells > expected)
            throw new SilverInputException(_input.Name, _csv.LineNumber, _layout.NameOf(expected),
                $"the row has {cells} cells but the header has {expected} columns.");
        if (cells < expected)
            throw new SilverInputException(_input.Name, _csv.LineNumber, _layout.NameOf(cells),
                $"the row ends after {cells} cells but the header has {expected} columns (a cut-off line?).");
        if (!validateBytes) return;
        var raw = _csv.RawRecord;
        if (Utf8.IsValid(raw) && !SniffedStream.IsControl(raw)) return;
        for (var c = 0; c < cells; c++)
        {
            var span = _csv.GetSpan(c);
            if (!Utf8.IsValid(span))
                throw new SilverInputException(_input.Name, _csv.LineNumber, _layout.NameOf(c), "the value is not UTF-8 text (non-UTF-8 bytes).");
            var control = SniffedStream.IndexOfControl(span);
            if (control >= 0)
                throw new SilverInputException(_input.Name, _csv.LineNumber, _layout.NameOf(c), $"binary data in the value (byte 0x{span[control]:X2}).");
        }
    }

    private ReadOnlySpan<byte> Cell(int column) => column < 0 ? default : _csv.GetSpan(column);
    private ReadOnlySpan<byte> Round(RoundField field) => Cell(_rounds[(int)field]);

    private void ReadKeys(RoundRecord round)
    {
        round.Id = ValueParser.String(Round(RoundField.Id));
        round.CaptureLogs = Round(RoundField.CaptureLogs).IsEmpty ? null : "";
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            var columns = _slots[slot];
            if (columns.Length == 0) continue;
            if (IsPadding(columns)) { round.PaddingSlots++; continue; }
            ref var l = ref round.AddLocation(slot);
            l.Longitude = ValueParser.Double(Cell(columns[(int)LocationField.Longitude]), Discard, 0);
            l.Latitude = ValueParser.Double(Cell(columns[(int)LocationField.Latitude]), Discard, 0);
            l.IsCache = ValueParser.Bool(Cell(columns[(int)LocationField.IsCache]), Discard, 0);
            l.IsProjected = ValueParser.Bool(Cell(columns[(int)LocationField.IsProjected]), Discard, 0);
            l.Battery = ValueParser.Double(Cell(columns[(int)LocationField.Battery]), Discard, 0);
        }
    }

    private bool IsPadding(int[] columns)
    {
        foreach (var c in columns)
            if (c >= 0 && !_csv.GetSpan(c).IsEmpty) return false;
        return true;
    }

    private void ReadFull(RoundRecord round, long[] m)
    {
        round.Id = ValueParser.String(Round(RoundField.Id));
        round.Course = ValueParser.String(Round(RoundField.Course));
        round.Device = ValueParser.String(Round(RoundField.Device));
        round.GoalName = ValueParser.String(Round(RoundField.GoalName));
        round.StartTime = ValueParser.Timestamp(Round(RoundField.StartTime), m, SilverColumn.RoundStartTime);
        round.EndTime = ValueParser.Timestamp(Round(RoundField.EndTime), m, SilverColumn.RoundEndTime);
        round.StartHole = ValueParser.Int(Round(RoundField.StartHole), m, SilverColumn.StartHole);
        round.StartSection = ValueParser.Int(Round(RoundField.StartSection), m, SilverColumn.StartSection);
        round.EndSection = ValueParser.Int(Round(RoundField.EndSection), m, SilverColumn.EndSection);
        round.CurrentNine = ValueParser.Int(Round(RoundField.CurrentNine), m, SilverColumn.CurrentNine);
        round.IsNineHole = ValueParser.Bool(Round(RoundField.IsNineHole), m, SilverColumn.IsNineHole);
        round.IsComplete = ValueParser.Bool(Round(RoundField.Complete), m, SilverColumn.IsComplete);
        round.IsIncomplete = ValueParser.Bool(Round(RoundField.IsIncomplete), m, SilverColumn.IsIncomplete);
        round.IsSecondary = ValueParser.Bool(Round(RoundField.IsSecondary), m, SilverColumn.IsSecondary);
        round.IsAutoAssigned = ValueParser.Bool(Round(RoundField.IsAutoAssigned), m, SilverColumn.IsAutoAssigned);
        round.GoalTime = ValueParser.Double(Round(RoundField.GoalTime), m, SilverColumn.GoalTime);
        round.GoalTimeFraction = ValueParser.Double(Round(RoundField.GoalTimeFraction), m, SilverColumn.GoalTimeFraction);
        var logs = Round(RoundField.CaptureLogs);
        if (!logs.IsEmpty)
        {
            round.CaptureLogs = ValueParser.String(logs);
            round.CaptureLogEntries = CaptureLogs.CountEntries(logs, m);
        }
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            var c = _slots[slot];
            if (c.Length == 0) continue;
            if (IsPadding(c)) { round.PaddingSlots++; continue; }
            ref var l = ref round.AddLocation(slot);
            l.Hole = ValueParser.Int(Cell(c[(int)LocationField.Hole]), m, SilverColumn.HoleNumber);
            l.HoleSection = ValueParser.Int(Cell(c[(int)LocationField.HoleSection]), m, SilverColumn.HoleSection);
            l.SectionNumber = ValueParser.Int(Cell(c[(int)LocationField.SectionNumber]), m, SilverColumn.SectionNumber);
            l.StartSeconds = ValueParser.Double(Cell(c[(int)LocationField.StartTime]), m, SilverColumn.FixTimestamp);
            l.Longitude = ValueParser.Double(Cell(c[(int)LocationField.Longitude]), m, SilverColumn.Longitude);
            l.Latitude = ValueParser.Double(Cell(c[(int)LocationField.Latitude]), m, SilverColumn.Latitude);
            l.Pace = ValueParser.Double(Cell(c[(int)LocationField.Pace]), m, SilverColumn.Pace);
            l.PaceGap = ValueParser.Double(Cell(c[(int)LocationField.PaceGap]), m, SilverColumn.PaceGap);
            l.PositionalGap = ValueParser.Double(Cell(c[(int)LocationField.PositionalGap]), m, SilverColumn.PositionalGap);
            l.Battery = ValueParser.Double(Cell(c[(int)LocationField.Battery]), m, SilverColumn.Battery);
            l.IsProjected = ValueParser.Bool(Cell(c[(int)LocationField.IsProjected]), m, SilverColumn.IsProjected);
            l.IsProblem = ValueParser.Bool(Cell(c[(int)LocationField.IsProblem]), m, SilverColumn.IsProblem);
            l.IsCache = ValueParser.Bool(Cell(c[(int)LocationField.IsCache]), m, SilverColumn.IsCache);
            l.HeldUp = ValueParser.Bool(Cell(c[(int)LocationField.HeldUp]), m, SilverColumn.HeldUp);
            l.HoldingUp = ValueParser.Bool(Cell(c[(int)LocationField.HoldingUp]), m, SilverColumn.HoldingUp);
            l.Date = ValueParser.Timestamp(Cell(c[(int)LocationField.Date]), m, SilverColumn.FixTimestamp);
        }
    }

    /// <summary>Turns the parser's format errors into errors naming the file, line and column.</summary>
    private static async ValueTask<T> Guard<T>(SilverInput input, Func<ValueTask<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (CsvFormatException e)
        {
            var field = await CsvErrorLocator.FindQuoteFaultAsync(input, e.LineNumber, cancellationToken);
            var reason = e.Message.Contains("never closed", StringComparison.Ordinal)
                ? "unbalanced quote: a quoted field is never closed."
                : e.Message[(e.Message.IndexOf("): ", StringComparison.Ordinal) is var i and >= 0 ? i + 3 : 0)..];
            throw new SilverInputException(input.Name, e.LineNumber, field is { } f ? await HeaderNameAsync(input, f, cancellationToken) : null, reason, e);
        }
    }

    private static async ValueTask Guard(SilverInput input, Func<ValueTask> read, CancellationToken cancellationToken) =>
        await Guard(input, async () => { await read(); return true; }, cancellationToken);

    /// <summary>The header name of a column, read afresh (the reader that failed may not have a header yet).</summary>
    private static async Task<string> HeaderNameAsync(SilverInput input, int column, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await input.Open(cancellationToken);
            await using var csv = CsvReader.Create(stream, Options, leaveOpen: false);
            await csv.ReadHeaderAsync(cancellationToken);
            return column < csv.Headers.Count ? csv.Headers[column] : $"#{column + 1} (beyond the header)";
        }
        catch (CsvFormatException)
        {
            return $"#{column + 1}";
        }
    }

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}
