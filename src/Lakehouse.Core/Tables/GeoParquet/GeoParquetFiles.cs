using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Tables.Iceberg;

namespace Lakehouse.Core.Tables.GeoParquet;

/// <summary>
/// Makes every data file of a table a GeoParquet 1.1 file: a <c>bbox</c> covering column (struct xmin, ymin, xmax, ymax)
/// after the table's columns, and the <c>geo</c> footer key with the geometry types present and the file's bbox. The
/// geometry column is WKB in lon/lat (OGC:CRS84, so no <c>crs</c> is written).
/// </summary>
internal sealed class GeoParquetFiles(string geometryColumn) : IDataFileExtension
{
    /// <summary>The table property naming a table's geometry column; its presence makes the table's files GeoParquet.</summary>
    public const string GeometryColumnProperty = "tm.geoparquet.geometry-column";

    public const string CoveringColumn = "bbox";

    private static readonly StructType BboxType = new([
        new Field("xmin", DoubleType.Default, false), new Field("ymin", DoubleType.Default, false),
        new Field("xmax", DoubleType.Default, false), new Field("ymax", DoubleType.Default, false)]);

    public string GeometryColumn { get; } = geometryColumn;

    /// <summary>The extension a table's properties ask for, or null for a table without a geometry column.</summary>
    public static GeoParquetFiles? For(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue(GeometryColumnProperty, out var column) && column.Length > 0 ? new GeoParquetFiles(column) : null;

    public Schema FileSchema(Schema tableSchema)
    {
        var geometry = tableSchema.GetFieldByName(GeometryColumn)
                       ?? throw new InvalidOperationException($"The table's geometry column '{GeometryColumn}' is not in its schema.");
        if (geometry.DataType.TypeId != ArrowTypeId.Binary)
            throw new InvalidOperationException($"The geometry column '{GeometryColumn}' is {geometry.DataType.Name}, not WKB binary.");
        if (tableSchema.GetFieldByName(CoveringColumn) is not null)
            throw new InvalidOperationException($"A GeoParquet table cannot have its own '{CoveringColumn}' column: the covering bbox column takes that name.");
        return new Schema(tableSchema.FieldsList.Append(new Field(CoveringColumn, BboxType, nullable: true)), tableSchema.Metadata);
    }

    public IDataFileExtender NewFile() => new FileState(GeometryColumn);

    private sealed class FileState(string geometryColumn) : IDataFileExtender
    {
        private readonly SortedSet<string> _types = new(StringComparer.Ordinal);
        private double _minX = double.PositiveInfinity, _minY = double.PositiveInfinity, _maxX = double.NegativeInfinity, _maxY = double.NegativeInfinity;

        public RecordBatch Extend(RecordBatch batch, Schema fileSchema)
        {
            var geometry = (BinaryArray)batch.Column(batch.Schema.GetFieldIndex(geometryColumn));
            var length = batch.Length;
            // Struct children own their bytes; values under a null bbox stay 0.
            byte[] xminBytes = new byte[length * 8], yminBytes = new byte[length * 8], xmaxBytes = new byte[length * 8], ymaxBytes = new byte[length * 8];
            var xmin = MemoryMarshal.Cast<byte, double>(xminBytes.AsSpan());
            var ymin = MemoryMarshal.Cast<byte, double>(yminBytes.AsSpan());
            var xmax = MemoryMarshal.Cast<byte, double>(xmaxBytes.AsSpan());
            var ymax = MemoryMarshal.Cast<byte, double>(ymaxBytes.AsSpan());
            var validity = new ArrowBuffer.BitmapBuilder(length);
            var nulls = 0;
            string? lastType = null;
            for (var row = 0; row < length; row++)
            {
                if (geometry.IsNull(row))
                {
                    validity.Append(false);
                    nulls++;
                    continue;
                }
                WkbShape shape;
                try
                {
                    shape = WkbReader.Read(geometry.GetBytes(row));
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"Column '{geometryColumn}', row {row} of a written batch, is not valid WKB: {e.Message}", e);
                }
                var name = shape.TypeName;
                // Rows of one batch are mostly of one type: skip the set lookup while it repeats.
                if (!ReferenceEquals(name, lastType) && name != lastType) _types.Add(name);
                lastType = name;
                if (shape.IsEmpty)
                {
                    validity.Append(false);
                    nulls++;
                    continue;
                }
                validity.Append(true);
                xmin[row] = shape.MinX;
                ymin[row] = shape.MinY;
                xmax[row] = shape.MaxX;
                ymax[row] = shape.MaxY;
                if (shape.MinX < _minX) _minX = shape.MinX;
                if (shape.MinY < _minY) _minY = shape.MinY;
                if (shape.MaxX > _maxX) _maxX = shape.MaxX;
                if (shape.MaxY > _maxY) _maxY = shape.MaxY;
            }
            var bbox = new StructArray(BboxType, length,
                [Doubles(xminBytes, length), Doubles(yminBytes, length), Doubles(xmaxBytes, length), Doubles(ymaxBytes, length)], validity.Build(ManagedArrowMemory.Instance), nulls);
            var columns = new IArrowArray[batch.ColumnCount + 1];
            for (var c = 0; c < batch.ColumnCount; c++) columns[c] = batch.Column(c);
            columns[^1] = bbox;
            return new RecordBatch(fileSchema, columns, length);
        }

        private static DoubleArray Doubles(byte[] values, int length) => new(new ArrowBuffer(values), ArrowBuffer.Empty, length, 0, 0);

        public IReadOnlyDictionary<string, string> FooterMetadata() => new Dictionary<string, string>
        {
            ["geo"] = GeoMetadataJson.Write(geometryColumn, _types, _minX <= _maxX ? [_minX, _minY, _maxX, _maxY] : null, CoveringColumn),
        };
    }
}
