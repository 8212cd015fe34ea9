using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Maps our column types to Iceberg type names and Arrow types, and builds the Arrow schema of a table schema.</summary>
internal static class IcebergTypes
{
    public const string FieldIdKey = "PARQUET:field_id";
    public const string IcebergSchemaKey = "iceberg.schema";

    public static string NameOf(TableType type) => type switch
    {
        TableType.Boolean => "boolean",
        TableType.Int => "int",
        TableType.Long => "long",
        TableType.Double => "double",
        TableType.String => "string",
        TableType.Date => "date",
        TableType.TimestampTz => "timestamptz",
        TableType.Binary => "binary",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    public static TableType Parse(string name) => name switch
    {
        "boolean" => TableType.Boolean,
        "int" => TableType.Int,
        "long" => TableType.Long,
        "double" => TableType.Double,
        "string" => TableType.String,
        "date" => TableType.Date,
        "timestamptz" => TableType.TimestampTz,
        "binary" => TableType.Binary,
        _ => throw new NotSupportedException($"Iceberg type '{name}' is not one this lakehouse reads."),
    };

    public static IArrowType ArrowTypeOf(TableType type) => type switch
    {
        TableType.Boolean => BooleanType.Default,
        TableType.Int => Int32Type.Default,
        TableType.Long => Int64Type.Default,
        TableType.Double => DoubleType.Default,
        TableType.String => StringType.Default,
        TableType.Date => Date32Type.Default,
        TableType.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        TableType.Binary => BinaryType.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    public static Field ArrowFieldOf(TableField field) =>
        new(field.Name, ArrowTypeOf(field.Type), nullable: !field.Required,
            [new KeyValuePair<string, string>(FieldIdKey, field.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    /// <summary>The Arrow schema of a table schema (field ids in field metadata, so Parquet files carry them).</summary>
    public static Schema ArrowSchemaOf(IReadOnlyList<TableField> fields, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(fields.Select(ArrowFieldOf), metadata?.ToList());

    /// <summary>Whether an incoming Arrow column can be written to a column of this type.</summary>
    public static bool Accepts(TableType type, IArrowType arrow) => type switch
    {
        TableType.Boolean => arrow.TypeId == ArrowTypeId.Boolean,
        TableType.Int => arrow.TypeId is ArrowTypeId.Int32 or ArrowTypeId.Int16 or ArrowTypeId.Int8,
        TableType.Long => arrow.TypeId is ArrowTypeId.Int64 or ArrowTypeId.Int32,
        TableType.Double => arrow.TypeId is ArrowTypeId.Double or ArrowTypeId.Float,
        TableType.String => arrow.TypeId is ArrowTypeId.String,
        TableType.Date => arrow.TypeId is ArrowTypeId.Date32 or ArrowTypeId.Date64,
        TableType.TimestampTz => arrow.TypeId is ArrowTypeId.Timestamp,
        TableType.Binary => arrow.TypeId is ArrowTypeId.Binary or ArrowTypeId.String,
        _ => false,
    };
}
