using Lakehouse.Core.Instance;

namespace TmLakehouse.Assets.Bronze;

/// <summary>What landing a file did: landed it, or found the same content already landed in that partition (a no-op).</summary>
public sealed record LandingResult(bool AlreadyLanded, LedgerEntry Entry, string Location)
{
    /// <summary>The partition key, e.g. <c>course_id=erinhills,ingest_date=2025-06-01</c>.</summary>
    public string Partition => Entry.Partition;

    /// <summary>One line for the CLI and the log.</summary>
    public string Message => AlreadyLanded
        ? $"No-op: the same content (sha256 {Entry.Sha256}) already landed in {Entry.Partition} as {Location} (ledger id {Entry.Id}, run {Entry.RunId})."
        : $"Landed {Entry.RowCount} row(s), {Entry.Size} bytes, as {Location} (ledger id {Entry.Id}).";
}
