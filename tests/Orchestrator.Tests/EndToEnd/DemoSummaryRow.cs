using System.Globalization;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>One course's line of the table `tmlake demo` closes with; <see cref="GoldRows"/> sums its per-Gold-table columns.</summary>
public sealed record DemoSummaryRow(string Course, long Rounds, long SilverRows, long Quarantined, long GoldRows)
{
    /// <summary>The rows under the COURSE header of a demo's output, up to the blank line after them.</summary>
    public static IReadOnlyList<DemoSummaryRow> Parse(string demoOutput)
    {
        var lines = demoOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.FindLastIndex(l => l.StartsWith("COURSE ", StringComparison.Ordinal) && l.Contains("gold.fact_rounds", StringComparison.Ordinal));
        if (header < 0) throw new InvalidOperationException($"No summary table in the demo's output:\n{demoOutput}");
        return lines.Skip(header + 1).TakeWhile(l => l.Trim().Length > 0).Select(ParseLine).ToList();
    }

    private static DemoSummaryRow ParseLine(string line)
    {
        var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cells.Length != 8) throw new InvalidOperationException($"A summary line with {cells.Length} cells instead of 8: '{line}'");
        // The figures are written with N0, whose group separator depends on the culture the program ran in.
        static long Number(string cell) => long.Parse(new string(cell.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
        return new DemoSummaryRow(cells[0], Number(cells[1]), Number(cells[2]), Number(cells[3]), cells.Skip(4).Sum(Number));
    }
}
