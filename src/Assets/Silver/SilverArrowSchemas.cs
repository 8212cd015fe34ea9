using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Silver;

/// <summary>The Arrow schema of a table schema: the column names and types batches written to it must have.</summary>
public static class SilverArrowSchemas
{
    public static Schema TelemetryEvent { get; } = For(SilverTables.TelemetryEvent.Schema);
    public static Schema DeviceHealth { get; } = For(SilverTables.DeviceHealth.Schema);

    /// <summary>The telemetry columns, all nullable (a rejected row may lack its round_id), plus <c>quarantine_reason</c>: the rows Silver set aside.</summary>
    public static Schema Quarantine { get; } = new(
        TelemetryEvent.FieldsList.Select(f => new Field(f.Name, f.DataType, true))
            .Append(new Field("quarantine_reason", StringType.Default, false)), null);

    public static Schema For(TableSchema schema) =>
        new(schema.Fields.Select(f => new Field(f.Name, ArrowType(f.Type), !f.Required)), null);

    public static IArrowType ArrowType(Lakehouse.Core.Tables.TableType type) => type switch
    {
        Lakehouse.Core.Tables.TableType.Boolean => BooleanType.Default,
        Lakehouse.Core.Tables.TableType.Int => Int32Type.Default,
        Lakehouse.Core.Tables.TableType.Long => Int64Type.Default,
        Lakehouse.Core.Tables.TableType.Double => DoubleType.Default,
        Lakehouse.Core.Tables.TableType.String => StringType.Default,
        Lakehouse.Core.Tables.TableType.Date => Date32Type.Default,
        Lakehouse.Core.Tables.TableType.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        Lakehouse.Core.Tables.TableType.Binary => BinaryType.Default,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
