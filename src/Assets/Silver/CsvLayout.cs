namespace TmLakehouse.Assets.Silver;

/// <summary>Where each field is in one CSV file's header: any order, any number of location slots, unknown columns ignored.</summary>
internal sealed class CsvLayout
{
    private CsvLayout(IReadOnlyList<string> headers, int[] roundColumns, int[][] slotColumns)
    {
        Headers = headers;
        RoundColumns = roundColumns;
        SlotColumns = slotColumns;
    }

    public IReadOnlyList<string> Headers { get; }
    /// <summary>Per <see cref="RoundField"/>, the column index or -1.</summary>
    public int[] RoundColumns { get; }
    /// <summary>Per slot, per <see cref="LocationField"/>, the column index or -1; a slot without columns is an empty array.</summary>
    public int[][] SlotColumns { get; }

    public static CsvLayout From(string file, IReadOnlyList<string> headers)
    {
        var rounds = Enumerable.Repeat(-1, ExportFields.RoundFieldCount).ToArray();
        var slots = new List<int[]>();
        for (var c = 0; c < headers.Count; c++)
        {
            var name = headers[c].Trim();
            if (ExportFields.TrySlot(name, out var slot, out var locationField))
            {
                if (slot > 10_000)
                    throw new SilverInputException(file, 1, name, $"location slot {slot} is beyond any real round (at most a few hundred).");
                while (slots.Count <= slot) slots.Add([]);
                if (slots[slot].Length == 0) slots[slot] = Enumerable.Repeat(-1, ExportFields.LocationFieldCount).ToArray();
                if (slots[slot][(int)locationField] < 0) slots[slot][(int)locationField] = c;
            }
            else if (ExportFields.TryRound(name, out var roundField) && rounds[(int)roundField] < 0)
                rounds[(int)roundField] = c;
        }
        if (rounds[(int)RoundField.Id] < 0)
            throw new SilverInputException(file, 1, "_id", "the header has no '_id' column, so rounds cannot be identified.");
        if (slots.Count == 0 || slots[0].Length == 0 || slots[0][(int)LocationField.StartTime] < 0)
            throw new SilverInputException(file, 1, "locations[0].startTime", "the header has no 'locations[0].startTime' column: this is not a round export.");
        return new CsvLayout(headers, rounds, slots.ToArray());
    }

    public string NameOf(int column) => column < Headers.Count ? Headers[column] : $"#{column + 1} (beyond the header)";
}
