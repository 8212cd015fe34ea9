using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// Avro object-container files with the null codec. The header is written by hand so that it keeps the schema JSON exactly
/// as given (Apache.Avro drops <c>"logicalType":"map"</c> when it re-serializes a schema, which other readers need).
/// </summary>
internal static class AvroContainer
{
    private static readonly byte[] Magic = [(byte)'O', (byte)'b', (byte)'j', 1];

    /// <summary>
    /// Parses a schema for Apache.Avro's encoder: logical types stripped, since the binary form does not change. Parsed once
    /// per schema text: every manifest of a table carries the same one, and a Gold run of 50 steps read and wrote hundreds of
    /// manifests (perf: Apache.Avro's parser, the Newtonsoft.Json it parses with and the strip pass were 4% of its CPU).
    /// </summary>
    public static RecordSchema ParseForCodec(string schemaJson)
    {
        if (ParsedSchemas.TryGetValue(schemaJson, out var parsed)) return parsed;
        parsed = ParseUncached(schemaJson);
        // A process sees a handful of schemas (one per table and partition spec); the bound only guards against a long-lived
        // server that alters schemas without end.
        if (ParsedSchemas.Count >= MaxParsedSchemas) ParsedSchemas.Clear();
        ParsedSchemas[schemaJson] = parsed;
        return parsed;
    }

    private const int MaxParsedSchemas = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, RecordSchema> ParsedSchemas = new(StringComparer.Ordinal);

    private static RecordSchema ParseUncached(string schemaJson)
    {
        var node = JsonNode.Parse(schemaJson)!;
        Strip(node);
        return (RecordSchema)Schema.Parse(node.ToJsonString());

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("logicalType");
                    foreach (var (_, child) in o.ToList()) Strip(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Strip(child);
                    break;
            }
        }
    }

    public static byte[] Write(string schemaJson, IReadOnlyDictionary<string, string> metadata, IEnumerable<GenericRecord> records)
    {
        var schema = ParseForCodec(schemaJson);
        var sync = RandomNumberGenerator.GetBytes(16);
        using var output = new MemoryStream();
        var encoder = new BinaryEncoder(output);
        encoder.WriteFixed(Magic);
        var header = new List<KeyValuePair<string, byte[]>>
        {
            new("avro.schema", Encoding.UTF8.GetBytes(schemaJson)),
            new("avro.codec", "null"u8.ToArray()),
        };
        header.AddRange(metadata.Select(kv => new KeyValuePair<string, byte[]>(kv.Key, Encoding.UTF8.GetBytes(kv.Value))));
        encoder.WriteLong(header.Count);
        foreach (var (key, value) in header)
        {
            encoder.WriteString(key);
            encoder.WriteBytes(value);
        }
        encoder.WriteLong(0);
        encoder.WriteFixed(sync);

        var writer = new GenericDatumWriter<GenericRecord>(schema);
        using var block = new MemoryStream();
        var blockEncoder = new BinaryEncoder(block);
        var count = 0;
        foreach (var record in records)
        {
            writer.Write(record, blockEncoder);
            count++;
        }
        blockEncoder.Flush();
        if (count > 0)
        {
            encoder.WriteLong(count);
            encoder.WriteLong(block.Length);
            encoder.WriteFixed(block.ToArray());
            encoder.WriteFixed(sync);
        }
        encoder.Flush();
        return output.ToArray();
    }

    /// <summary>The header metadata and every record of a container file.</summary>
    public static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<GenericRecord> Records) Read(byte[] bytes, string source)
    {
        try
        {
            using var input = new MemoryStream(bytes, writable: false);
            var decoder = new BinaryDecoder(input);
            var magic = new byte[4];
            decoder.ReadFixed(magic);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not an Avro container file");
            var metadata = new Dictionary<string, string>();
            for (var n = decoder.ReadLong(); n != 0; n = decoder.ReadLong())
            {
                if (n < 0)
                {
                    n = -n;
                    decoder.ReadLong();
                }
                for (var i = 0; i < n; i++) metadata[decoder.ReadString()] = Encoding.UTF8.GetString(decoder.ReadBytes());
            }
            if (metadata.TryGetValue("avro.codec", out var codec) && codec != "null")
                throw new InvalidDataException($"Avro codec '{codec}' is not supported");
            var sync = new byte[16];
            decoder.ReadFixed(sync);
            var schema = ParseForCodec(metadata["avro.schema"]);
            var reader = new GenericDatumReader<GenericRecord>(schema, schema);
            var records = new List<GenericRecord>();
            var blockSync = new byte[16];
            while (input.Position < input.Length)
            {
                var count = decoder.ReadLong();
                decoder.ReadLong();
                for (var i = 0; i < count; i++) records.Add(reader.Read(null!, decoder));
                decoder.ReadFixed(blockSync);
                if (!blockSync.AsSpan().SequenceEqual(sync)) throw new InvalidDataException("a block's sync marker does not match the header");
            }
            return (metadata, records);
        }
        catch (Exception e) when (e is AvroException or InvalidDataException or EndOfStreamException or KeyNotFoundException)
        {
            throw new InvalidDataException($"Avro file {source} cannot be read: {e.Message}", e);
        }
    }
}
