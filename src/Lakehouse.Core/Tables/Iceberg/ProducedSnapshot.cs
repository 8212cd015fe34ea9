namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>The outcome of producing one snapshot.</summary>
internal sealed record ProducedSnapshot(TableMetadata Metadata, SnapshotInfo Snapshot, long AddedRows, long DeletedRows, int AddedFiles, int DeletedFiles, long AddedBytes);
