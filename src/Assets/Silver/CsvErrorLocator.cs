namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Finds which field of a malformed CSV record is at fault, by re-reading the record's raw bytes from its first line:
/// the parser reports the line but not the column, and naming the column is what makes the error actionable.
/// </summary>
internal static class CsvErrorLocator
{
    private const int MaxScan = 64 << 20;

    /// <summary>The index of the first field with a quoting fault in the record starting at <paramref name="line"/>, or null.</summary>
    public static async Task<int?> FindQuoteFaultAsync(SilverInput input, long line, CancellationToken cancellationToken)
    {
        await using var stream = await input.Open(cancellationToken);
        var buffer = new byte[1 << 16];
        long currentLine = 1, scanned = 0;
        int field = 0;
        bool started = line == 1, inQuotes = false, quoted = false, afterClose = false, fieldStart = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (!started)
                {
                    if (b == '\n' && ++currentLine == line) started = true;
                    continue;
                }
                if (++scanned > MaxScan) return quoted && inQuotes ? field : null;
                if (inQuotes)
                {
                    if (b == '"') { inQuotes = false; afterClose = true; }
                    continue;
                }
                if (afterClose)
                {
                    afterClose = false;
                    if (b == '"') { inQuotes = true; continue; } // an escaped quote ("")
                    if (b is not ((byte)',' or (byte)'\r' or (byte)'\n')) return field;
                }
                switch (b)
                {
                    case (byte)',':
                        field++; fieldStart = true; quoted = false;
                        continue;
                    case (byte)'\n':
                        return null;
                    case (byte)'"':
                        if (!fieldStart) return field;
                        inQuotes = quoted = true;
                        break;
                }
                if (b != '\r') fieldStart = false;
            }
        }
        return inQuotes ? field : null;
    }
}
