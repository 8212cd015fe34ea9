using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>
/// Runs recipes on PostGIS as transient compute (LANDING_AND_SPATIAL §3): a schema <c>proc_&lt;run_id&gt;</c> per layer run,
/// the input loaded into <c>raw</c> (the source file by GDAL's ogr2ogr when a loader is given and the layer was read from a file,
/// else its features COPYed from this process), each step a SQL statement chaining <c>raw → step_0 → … → processed</c>, the result read
/// back, and the schema dropped — also when a step fails. A process killed mid-recipe cannot drop its schema, so every start
/// first drops <c>proc_</c> schemas whose creation stamp (the schema's comment) is older than the lease.
/// </summary>
public sealed class PostGisVectorEngine(string connectionString, TimeProvider clock, TimeSpan lease, Ogr2OgrLoader? ogr2ogr = null) : IVectorEngine
{
    public const string SchemaPrefix = "proc_";

    /// <summary>Long enough for any recipe over a layer to finish: only schemas older than this are taken for leftovers.</summary>
    public static TimeSpan DefaultLease { get; } = TimeSpan.FromHours(1);

    public string Name => "postgis";

    /// <summary>How a layer read from a file reaches the server: <c>ogr2ogr</c> (the file itself) or <c>copy</c> (its features from this process).</summary>
    public string Load => ogr2ogr is null ? "copy" : "ogr2ogr";

    /// <summary>The transient schema of a run: <c>proc_</c> and the run id in the characters PostgreSQL names take unquoted.</summary>
    public static string SchemaOf(string runId)
    {
        var name = new StringBuilder(SchemaPrefix);
        foreach (var c in runId.ToLowerInvariant()) name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_');
        return name.Length > 63 ? name.ToString(0, 63) : name.ToString();
    }

    /// <summary>The file's features are gathered for the load (COPY, or the reader's count and numbering ogr2ogr is checked against) and the result read back whole.</summary>
    public async Task<ProcessedLayer> ProcessAsync(VectorSource source, VectorRecipe recipe, string runId, CancellationToken cancellationToken) =>
        ProcessedLayer.From(await RunAsync(source.ToLayer(), recipe, runId, cancellationToken));

    public async Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        // A CRS known only by its WKT has no SRID: the layer is loaded with SRID 0 and reprojected from the WKT (NormalizeCrsStep).
        var srid = input.Crs.Code ?? 0;
        GeometryColumnContract.Check(input, "before loading");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await DropLeftoversAsync(connection, cancellationToken);
        var schema = SchemaOf(runId);
        await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; COMMENT ON SCHEMA {schema} IS '{clock.GetUtcNow():O}'", cancellationToken);
        try
        {
            if (ogr2ogr is not null && input.LocalPath is not null) await LoadWithOgr2OgrAsync(connection, ogr2ogr, schema, input, srid, cancellationToken);
            else await LoadAsync(connection, schema, input, srid, cancellationToken);
            var source = $"{schema}.raw";
            for (var i = 0; i < recipe.Steps.Count; i++)
            {
                var step = recipe.Steps[i];
                await CheckContractAsync(connection, schema, source, input.SourceFile, $"before {step.Name}", cancellationToken);
                var target = i == recipe.Steps.Count - 1 ? $"{schema}.processed" : $"{schema}.step_{i}";
                await ExecuteAsync(connection, step.PostGisSql(source, target, input.Crs), cancellationToken);
                await CheckContractAsync(connection, schema, target, input.SourceFile, $"after {step.Name}", cancellationToken);
                source = target;
            }
            return await ReadAsync(connection, source, input, recipe.Steps.Any(s => s is NormalizeCrsStep), cancellationToken);
        }
        finally
        {
            // On the step's own connection: if that connection died (a killed process), the schema stays for the lease.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", CancellationToken.None);
        }
    }

    /// <summary>Drops <c>proc_</c> schemas created longer than the lease ago (their runs died without dropping them).</summary>
    public async Task<IReadOnlyList<string>> DropLeftoversAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT nspname, coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname LIKE 'proc\\_%'", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                // A schema without a readable stamp is one this engine did not stamp yet: it is dropped only once old, i.e. never by its stamp.
                if (DateTimeOffset.TryParse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)
                    && clock.GetUtcNow() - created > lease)
                    stale.Add(reader.GetString(0));
            }
        foreach (var schema in stale) await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", cancellationToken);
        return stale;
    }

    private static async Task LoadAsync(NpgsqlConnection connection, string schema, VectorLayer input, int srid, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"CREATE TABLE {schema}.load (feature_index integer, properties text, wkb bytea)", cancellationToken);
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {schema}.load (feature_index, properties, wkb) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var feature in input.Features)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(feature.Index, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(JsonSerializer.Serialize(feature.Properties), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(wkb.Write(feature.Geometry), NpgsqlDbType.Bytea, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await ExecuteAsync(connection,
            $"CREATE TABLE {schema}.raw AS SELECT feature_index, properties, ST_SetSRID(ST_GeomFromWKB(wkb), {srid}) AS geometry FROM {schema}.load; DROP TABLE {schema}.load",
            cancellationToken);
    }

    /// <summary>
    /// ogr2ogr loads the file into <c>load</c> (its own connection); <c>raw</c> takes the reader's feature index from ogr2ogr's
    /// 1-based FID and the reader's SRID. Both read the same file, so a count or numbering that differs fails the step.
    /// </summary>
    private async Task LoadWithOgr2OgrAsync(NpgsqlConnection connection, Ogr2OgrLoader loader, string schema, VectorLayer input, int srid, CancellationToken cancellationToken)
    {
        await loader.LoadAsync(connectionString, schema, input, cancellationToken);
        var fid = Ogr2OgrLoader.FidColumn;
        await using (var command = new NpgsqlCommand($"SELECT count(*), coalesce(min({fid}), 0)::bigint, coalesce(max({fid}), 0)::bigint FROM {schema}.load", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var (count, min, max) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (count != input.Features.Count || min != 1 || max != count)
                throw new SpatialInputException(input.SourceFile, null,
                    $"ogr2ogr loaded {count} features (FIDs {min}..{max}) where the reader found {input.Features.Count}: GDAL and this lakehouse read the file differently");
        }
        // A Shapefile's polygon and line shapes have parts: NetTopologySuite reads each as a Multi geometry, GDAL one with a
        // single part as a plain one. raw takes the reader's types, so both engines give the same geometry types.
        var geometry = input.Format == "Shapefile"
            ? "CASE WHEN GeometryType(geometry) IN ('POLYGON', 'LINESTRING') THEN ST_Multi(geometry) ELSE geometry END"
            : "geometry";
        await ExecuteAsync(connection,
            $"CREATE TABLE {schema}.raw AS SELECT {fid} - 1 AS feature_index, NULL::text AS properties, ST_SetSRID({geometry}, {srid}) AS geometry FROM {schema}.load; DROP TABLE {schema}.load",
            cancellationToken);
    }

    /// <summary>The one-geometry-column contract on a step's table: exactly one geometry column, named geometry.</summary>
    private static async Task CheckContractAsync(NpgsqlConnection connection, string schema, string table, string file, string when, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(string_agg(a.attname, ', ' ORDER BY a.attnum), '') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = @schema AND c.relname = @table AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'geometry'::regtype", connection);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("table", table[(table.IndexOf('.') + 1)..]);
        var columns = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (columns != VectorLayer.GeometryColumn)
            throw new SpatialInputException(file, null, $"{when}: the table must have exactly one geometry column named '{VectorLayer.GeometryColumn}', it has [{columns}]");
    }

    private static async Task<VectorLayer> ReadAsync(NpgsqlConnection connection, string table, VectorLayer input, bool normalized, CancellationToken cancellationToken)
    {
        var byIndex = input.Features.ToDictionary(f => f.Index);
        var reader = new WKBReader();
        var features = new List<VectorFeature>(input.Features.Count);
        // Row order is the last step's (spatial_index orders the table): read it as stored.
        await using var command = new NpgsqlCommand($"SELECT feature_index, ST_AsBinary(geometry) FROM {table}", connection);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var index = rows.GetInt32(0);
            var geometry = reader.Read((byte[])rows.GetValue(1));
            geometry.SRID = normalized ? 4326 : input.Features[0].Geometry.SRID;
            features.Add(byIndex[index] with { Geometry = geometry });
        }
        var output = input with { Crs = normalized ? SpatialReference.Wgs84 : input.Crs, Features = features };
        GeometryColumnContract.Check(output, "after reading back");
        return output;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
