namespace TmLakehouse.Assets.Bronze;

/// <summary>A file failed a Bronze check (unreadable, empty, no header, no data row, changed after landing); the message names the file.</summary>
public sealed class BronzeCheckException(string message, string filePath, string reason, string? reportKey) : Lakehouse.Core.UserFacingException(message)
{
    /// <summary>The local file or object location that failed.</summary>
    public string FilePath { get; } = filePath;

    /// <summary>A short reason code, also the reason in the quarantine report (e.g. <c>empty_file</c>).</summary>
    public string Reason { get; } = reason;

    /// <summary>The quarantine report written for the failure.</summary>
    public string? ReportKey { get; } = reportKey;
}
