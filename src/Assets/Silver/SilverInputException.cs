namespace TmLakehouse.Assets.Silver;

/// <summary>An input file Silver cannot read; the message names the file, the line and the column, e.g. <c>a.csv line 17, column 'locations[3].pace': ...</c>.</summary>
public sealed class SilverInputException : Lakehouse.Core.UserFacingException
{
    public SilverInputException(string file, long? line, string? column, string reason, Exception? inner = null)
        : base(Format(file, line, column, reason), inner)
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string File { get; }
    public long? Line { get; }
    public string? Column { get; }
    public string Reason { get; }

    private static string Format(string file, long? line, string? column, string reason) =>
        file + (line is { } l ? $" line {l}" : "") + (column is null ? "" : $"{(line is null ? "" : ",")} column '{column}'") + ": " + reason;
}
