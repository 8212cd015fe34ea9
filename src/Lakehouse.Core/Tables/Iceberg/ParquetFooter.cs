using System.Buffers.Binary;
using System.Text;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Adds key-value metadata to a finished Parquet file by re-encoding its footer. Arrow's file writer takes its metadata
/// when the file is opened, but metadata such as GeoParquet's <c>geo</c> key (the file's bbox and geometry types) is known
/// only once every row is written. The data pages stay as they are; only the Thrift-encoded FileMetaData at the end of
/// the file is rewritten, with field 5 (key_value_metadata) extended and every other field copied byte for byte.
/// </summary>
internal static class ParquetFooter
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private const short KeyValueMetadataField = 5;

    public static void AppendKeyValueMetadata(string path, IReadOnlyDictionary<string, string> entries)
    {
        if (entries.Count == 0) return;
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var tail = new byte[8];
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(tail);
        if (!tail.AsSpan(4).SequenceEqual(Magic)) throw new InvalidDataException($"{path} does not end in PAR1 (not a plain Parquet file).");
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        var footerStart = file.Length - 8 - footerLength;
        var footer = new byte[footerLength];
        file.Seek(footerStart, SeekOrigin.Begin);
        file.ReadExactly(footer);

        var rewritten = Rewrite(footer, entries);
        file.Seek(footerStart, SeekOrigin.Begin);
        file.Write(rewritten);
        BinaryPrimitives.WriteInt32LittleEndian(tail, rewritten.Length);
        file.Write(tail);
        file.SetLength(file.Position);
    }

    /// <summary>The FileMetaData struct with the entries added to its key-value list (created when absent).</summary>
    internal static byte[] Rewrite(ReadOnlySpan<byte> footer, IReadOnlyDictionary<string, string> entries)
    {
        var output = new ThriftCompactWriter();
        var reader = new ThriftCompactReader(footer);
        short lastWritten = 0;
        var added = false;
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (!added && id > KeyValueMetadataField)
            {
                WriteKeyValueList(output, ref lastWritten, 0, [], entries);
                added = true;
            }
            var start = reader.Position;
            if (id == KeyValueMetadataField)
            {
                var (count, elementType, elementsStart) = reader.ReadListHeader();
                if (elementType != ThriftCompactReader.Struct) throw new InvalidDataException("Parquet key_value_metadata is not a list of structs.");
                for (var i = 0; i < count; i++) reader.Skip(ThriftCompactReader.Struct);
                WriteKeyValueList(output, ref lastWritten, count, footer[elementsStart..reader.Position], entries);
                added = true;
                continue;
            }
            reader.Skip(type);
            output.WriteFieldHeader(ref lastWritten, id, type);
            output.WriteRaw(footer[start..reader.Position]);
        }
        if (!added) WriteKeyValueList(output, ref lastWritten, 0, [], entries);
        output.WriteRaw([ThriftCompactReader.Stop]);
        return output.ToArray();
    }

    private static void WriteKeyValueList(
        ThriftCompactWriter output, ref short lastWritten, int existing, ReadOnlySpan<byte> existingElements, IReadOnlyDictionary<string, string> entries)
    {
        output.WriteFieldHeader(ref lastWritten, KeyValueMetadataField, ThriftCompactReader.List);
        output.WriteListHeader(existing + entries.Count, ThriftCompactReader.Struct);
        output.WriteRaw(existingElements);
        foreach (var (key, value) in entries)
        {
            short last = 0;
            output.WriteFieldHeader(ref last, 1, ThriftCompactReader.Binary);
            output.WriteBinary(Encoding.UTF8.GetBytes(key));
            output.WriteFieldHeader(ref last, 2, ThriftCompactReader.Binary);
            output.WriteBinary(Encoding.UTF8.GetBytes(value));
            output.WriteRaw([ThriftCompactReader.Stop]);
        }
    }
}
