namespace Lakehouse.Core.Instance;

/// <summary>One landed file: where it is, its size and SHA-256, which run landed it and how many data rows it has.</summary>
public sealed record LedgerEntry(string Key, string Partition, long Size, string Sha256, string RunId, long RowCount, DateTimeOffset LandedAt)
{
    public long Id { get; init; }
}
