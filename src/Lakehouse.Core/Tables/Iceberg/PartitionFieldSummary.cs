namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One partition field's summary in a manifest list entry.</summary>
internal sealed record PartitionFieldSummary(bool ContainsNull, byte[]? LowerBound, byte[]? UpperBound);
