using System.Globalization;
using Apache.Arrow;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>Renders one Arrow cell as text for the terminal.</summary>
internal static class ArrowText
{
    public static string Cell(IArrowArray column, int row)
    {
        if (column.IsNull(row)) return "null";
        return column switch
        {
            StringArray s => s.GetString(row),
            BooleanArray b => b.GetValue(row) == true ? "true" : "false",
            Int32Array i => i.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture),
            Int64Array l => l.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture),
            DoubleArray d => d.GetValue(row)!.Value.ToString("0.######", CultureInfo.InvariantCulture),
            Date32Array date => date.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // A timestamptz is an instant, printed in UTC with its zone; a timestamp without zone is a wall-clock time and has none.
            TimestampArray t when !string.IsNullOrEmpty(((Apache.Arrow.Types.TimestampType)t.Data.DataType).Timezone) =>
                t.GetTimestamp(row)!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            TimestampArray t => t.GetTimestamp(row)!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            BinaryArray bin => Hex(bin.GetBytes(row)),
            _ => column.GetType().Name,
        };
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return hex.Length > 16 ? $"0x{hex[..16]}… ({bytes.Length} bytes)" : "0x" + hex;
    }
}
