namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One manifest entry, with sequence numbers already inherited.</summary>
internal sealed record ManifestEntry(int Status, long SnapshotId, long SequenceNumber, long FileSequenceNumber, DataFileInfo File);
