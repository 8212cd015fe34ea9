namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>A partition spec: its id and fields.</summary>
internal sealed record PartitionSpec(int SpecId, IReadOnlyList<PartitionSpecField> Fields);
