namespace TmLakehouse.Assets.Silver;

/// <summary>A Silver step stopped by a gate; nothing was committed and a quarantine report says why.</summary>
public sealed class SilverGateException(SilverGateFailure failure, string? reportKey)
    : Lakehouse.Core.UserFacingException($"Silver gate '{failure.Gate}' failed: {failure.Message}" + (reportKey is null ? "" : $" Report: {reportKey}"))
{
    public SilverGateFailure Failure { get; } = failure;
    public string? ReportKey { get; } = reportKey;
}
