namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One entry of the metadata's metadata-log (a previous metadata file).</summary>
internal sealed record MetadataLogEntry(long TimestampMs, string MetadataFile);
