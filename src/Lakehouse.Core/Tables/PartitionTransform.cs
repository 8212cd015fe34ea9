namespace Lakehouse.Core.Tables;

/// <summary>How a partition value is derived from its source column.</summary>
public enum PartitionTransform { Identity, Day }
