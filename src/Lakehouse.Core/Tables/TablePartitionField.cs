namespace Lakehouse.Core.Tables;

/// <summary>One field of a partition spec: a source column, a transform, and the partition field's name.</summary>
public sealed record TablePartitionField(string SourceColumn, PartitionTransform Transform, string Name);
