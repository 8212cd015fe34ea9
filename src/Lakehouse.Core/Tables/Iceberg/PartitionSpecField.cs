namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>One field of a partition spec, with its Iceberg field id (1000 and up) and source column id.</summary>
internal sealed record PartitionSpecField(int SourceId, int FieldId, string Name, PartitionTransform Transform)
{
    public string TransformName => Transform == PartitionTransform.Day ? "day" : "identity";

    /// <summary>The partition value's type: the source type for identity, date for day.</summary>
    public TableType ResultType(IReadOnlyList<TableField> fields) =>
        Transform == PartitionTransform.Day ? TableType.Date : fields.First(f => f.Id == SourceId).Type;
}
