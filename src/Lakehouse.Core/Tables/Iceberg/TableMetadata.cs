namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>The content of one <c>NNNNN-uuid.metadata.json</c> file (format version 2).</summary>
internal sealed record TableMetadata(
    string TableUuid,
    string Location,
    long LastSequenceNumber,
    long LastUpdatedMs,
    int LastColumnId,
    IReadOnlyList<IcebergSchema> Schemas,
    int CurrentSchemaId,
    IReadOnlyList<PartitionSpec> PartitionSpecs,
    int DefaultSpecId,
    int LastPartitionId,
    long CurrentSnapshotId,
    IReadOnlyList<SnapshotInfo> Snapshots,
    IReadOnlyList<SnapshotLogEntry> SnapshotLog,
    IReadOnlyList<MetadataLogEntry> MetadataLog,
    IReadOnlyDictionary<string, string> Properties)
{
    public IcebergSchema CurrentSchema => Schemas.First(s => s.SchemaId == CurrentSchemaId);
    public PartitionSpec DefaultSpec => PartitionSpecs.First(s => s.SpecId == DefaultSpecId);
    public SnapshotInfo? CurrentSnapshot => CurrentSnapshotId < 0 ? null : Snapshots.FirstOrDefault(s => s.SnapshotId == CurrentSnapshotId);

    public SnapshotInfo SnapshotOrCurrent(long? snapshotId, TableIdentifier id)
    {
        if (snapshotId is null) return CurrentSnapshot ?? throw new InvalidOperationException("The table has no snapshot.");
        return Snapshots.FirstOrDefault(s => s.SnapshotId == snapshotId)
               ?? throw new KeyNotFoundException($"Table {id} has no snapshot {snapshotId} (it may have expired).");
    }

    public static TableMetadata Create(TableDefinition definition, string location, long nowMs)
    {
        var fields = definition.Schema.Fields;
        ValidateSchema(definition);
        var specFields = definition.PartitionSpec
            .Select((p, i) => new PartitionSpecField(fields.First(f => f.Name == p.SourceColumn).Id, 1000 + i, p.Name, p.Transform))
            .ToList();
        return new TableMetadata(
            Guid.NewGuid().ToString(), location, 0, nowMs, definition.Schema.HighestFieldId,
            [new IcebergSchema(0, fields)], 0,
            [new PartitionSpec(0, specFields)], 0, specFields.Count == 0 ? 999 : 1000 + specFields.Count - 1,
            -1, [], [], [],
            WithGeometryColumn(new Dictionary<string, string> { ["write.format.default"] = "parquet", ["write.parquet.compression-codec"] = "snappy" }, definition));
    }

    /// <summary>The properties with the definition's geometry column recorded (unchanged when it has none).</summary>
    public static IReadOnlyDictionary<string, string> WithGeometryColumn(IReadOnlyDictionary<string, string> properties, TableDefinition definition)
    {
        if (definition.GeometryColumn is not { } column) return properties;
        if (properties.TryGetValue(GeoParquet.GeoParquetFiles.GeometryColumnProperty, out var recorded) && recorded == column) return properties;
        return new Dictionary<string, string>(properties) { [GeoParquet.GeoParquetFiles.GeometryColumnProperty] = column };
    }

    private static void ValidateSchema(TableDefinition definition)
    {
        var fields = definition.Schema.Fields;
        var dupName = fields.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (dupName is not null) throw new ArgumentException($"Table {definition.Id}: column '{dupName.Key}' appears twice.");
        var dupId = fields.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1);
        if (dupId is not null) throw new ArgumentException($"Table {definition.Id}: field id {dupId.Key} appears twice.");
        if (definition.GeometryColumn is { } geometry && fields.FirstOrDefault(f => f.Name == geometry) is not { Type: TableType.Binary })
            throw new ArgumentException($"Table {definition.Id}: the geometry column '{geometry}' must be a binary (WKB) column of the schema.");
        foreach (var p in definition.PartitionSpec)
        {
            var source = fields.FirstOrDefault(f => f.Name == p.SourceColumn)
                         ?? throw new ArgumentException($"Table {definition.Id}: partition field '{p.Name}' names column '{p.SourceColumn}', which is not in the schema.");
            if (p.Transform == PartitionTransform.Day && source.Type is not (TableType.Date or TableType.TimestampTz))
                throw new ArgumentException($"Table {definition.Id}: partition field '{p.Name}' uses day() on '{p.SourceColumn}', a {source.Type} column.");
        }
    }
}
