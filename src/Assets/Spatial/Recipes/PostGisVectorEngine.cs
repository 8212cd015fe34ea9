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

    /// <summary>
    /// Streams the file's features to the server (COPY; next to ogr2ogr's load only their properties, and the count and numbering
    /// ogr2ogr is checked against) and the result back into the processed layer's runs, so memory does not grow with the file.
    /// </summary>
    public async Task<ProcessedLayer> ProcessAsync(VectorSource source, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        // A CRS known only by its WKT has no SRID: the layer is loaded with SRID 0 and reprojected from the WKT (NormalizeCrsStep).
        var srid = source.Crs.Code ?? 0;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await DropLeftoversAsync(connection, cancellationToken);
        var schema = SchemaOf(runId);
        await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; COMMENT ON SCHEMA {schema} IS '{clock.GetUtcNow():O}'", cancellationToken);
        try
        {
            var count = await CopyFeaturesAsync(connection, schema, source, withGeometry: ogr2ogr is null || source.LocalPath is null, cancellationToken);
            if (ogr2ogr is not null && source.LocalPath is not null) await LoadWithOgr2OgrAsync(connection, ogr2ogr, schema, source, count, srid, cancellationToken);
            else await ExecuteAsync(connection,
                $"CREATE TABLE {schema}.raw AS SELECT feature_index, properties, ST_SetSRID(ST_GeomFromWKB(wkb), {srid}) AS geometry FROM {schema}.load; DROP TABLE {schema}.load",
                cancellationToken);
            var table = $"{schema}.raw";
            for (var i = 0; i < recipe.Steps.Count; i++)
            {
                var step = recipe.Steps[i];
                await CheckContractAsync(connection, schema, table, source.SourceFile, $"before {step.Name}", cancellationToken);
                var target = i == recipe.Steps.Count - 1 ? $"{schema}.processed" : $"{schema}.step_{i}";
                await ExecuteAsync(connection, step.PostGisSql(table, target, source.Crs), cancellationToken);
                await CheckContractAsync(connection, schema, target, source.SourceFile, $"after {step.Name}", cancellationToken);
                table = target;
            }
            var crs = recipe.Steps.Aggregate(source.Crs, (c, step) => step.OutputCrs(c));
            return await ReadAsync(connection, table, source, crs, cancellationToken);
        }
        finally
        {
            // On the step's own connection: if that connection died (a killed process), the schema stays for the lease.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {schema} CASCADE", CancellationToken.None);
        }
    }

    public async Task<VectorLayer> RunAsync(VectorLayer input, VectorRecipe recipe, string runId, CancellationToken cancellationToken)
    {
        using var processed = await ProcessAsync(VectorSource.Of(input), recipe, runId, cancellationToken);
        // Properties as the input held them (a JSON round trip would turn 2.0 into 2), as the in-process engine gives them back.
        var byIndex = input.Features.ToDictionary(f => f.Index, f => f.Properties);
        var features = processed.Features().Select(f => f with { Properties = byIndex[f.Index] }).ToList();
        return input with { Crs = processed.Crs, Features = features };
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

    /// <summary>
    /// COPYs the reader's features into <c>load</c> as they are read (index, properties as JSON, and the geometry as WKB unless
    /// ogr2ogr loads it), checking the one-geometry-column contract on each; returns how many there were.
    /// </summary>
    private static async Task<long> CopyFeaturesAsync(NpgsqlConnection connection, string schema, VectorSource source, bool withGeometry, CancellationToken cancellationToken)
    {
        const string before = "before loading";
        var table = withGeometry ? "load" : "props";
        await ExecuteAsync(connection, $"CREATE TABLE {schema}.{table} (feature_index integer, properties text{(withGeometry ? ", wkb bytea" : "")})", cancellationToken);
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false);
        var count = 0L;
        await using (var copy = await connection.BeginBinaryImportAsync(
                         $"COPY {schema}.{table} (feature_index, properties{(withGeometry ? ", wkb" : "")}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var feature in source.Features())
            {
                if (!source.HasOnlyGeometryColumn) GeometryColumnContract.CheckColumns(source.SourceFile, source.GeometryColumns, before);
                GeometryColumnContract.CheckFeature(source.SourceFile, feature, before);
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(feature.Index, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(JsonSerializer.Serialize(feature.Properties), NpgsqlDbType.Text, cancellationToken);
                if (withGeometry) await copy.WriteAsync(wkb.Write(feature.Geometry), NpgsqlDbType.Bytea, cancellationToken);
                count++;
            }
            await copy.CompleteAsync(cancellationToken);
        }
        if (count == 0) throw new SpatialInputException(source.SourceFile, null, "the layer has no features");
        return count;
    }

    /// <summary>
    /// ogr2ogr loads the file into <c>load</c> (its own connection); <c>raw</c> takes the reader's feature index from ogr2ogr's
    /// 1-based FID, the reader's properties and SRID. Both read the same file, so a count or numbering that differs fails the step.
    /// </summary>
    private async Task LoadWithOgr2OgrAsync(NpgsqlConnection connection, Ogr2OgrLoader loader, string schema, VectorSource source, long read, int srid, CancellationToken cancellationToken)
    {
        await loader.LoadAsync(connectionString, schema, source, cancellationToken);
        var fid = Ogr2OgrLoader.FidColumn;
        await using (var command = new NpgsqlCommand($"SELECT count(*), coalesce(min({fid}), 0)::bigint, coalesce(max({fid}), 0)::bigint FROM {schema}.load", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var (count, min, max) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (count != read || min != 1 || max != count)
                throw new SpatialInputException(source.SourceFile, null,
                    $"ogr2ogr loaded {count} features (FIDs {min}..{max}) where the reader found {read}: GDAL and this lakehouse read the file differently");
        }
        // A Shapefile's polygon and line shapes have parts: NetTopologySuite reads each as a Multi geometry, GDAL one with a
        // single part as a plain one. raw takes the reader's types, so both engines give the same geometry types.
        var geometry = source.Format == "Shapefile"
            ? "CASE WHEN GeometryType(l.geometry) IN ('POLYGON', 'LINESTRING') THEN ST_Multi(l.geometry) ELSE l.geometry END"
            : "l.geometry";
        // In file order, as the COPY load leaves raw: a recipe without spatial_index keeps it.
        await ExecuteAsync(connection,
            $"CREATE TABLE {schema}.raw AS SELECT l.{fid} - 1 AS feature_index, p.properties, ST_SetSRID({geometry}, {srid}) AS geometry " +
            $"FROM {schema}.load l JOIN {schema}.props p ON p.feature_index = l.{fid} - 1 ORDER BY l.{fid}; DROP TABLE {schema}.load; DROP TABLE {schema}.props",
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

    /// <summary>Reads the result row by row into a processed layer, in the order the last step stored it (spatial_index orders the table).</summary>
    private static async Task<ProcessedLayer> ReadAsync(NpgsqlConnection connection, string table, VectorSource source, SpatialReference crs, CancellationToken cancellationToken)
    {
        var output = new ProcessedLayer(source.SourceFile, source.Format, crs);
        try
        {
            var reader = new WKBReader();
            var empty = new Dictionary<string, object?>();
            await using var command = new NpgsqlCommand($"SELECT feature_index, properties, ST_AsBinary(geometry, 'NDR') FROM {table}", connection) { CommandTimeout = 0 };
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            var position = 0L;
            while (await rows.ReadAsync(cancellationToken))
            {
                var index = rows.GetInt32(0);
                if (rows.IsDBNull(2)) throw new SpatialInputException(source.SourceFile, index, "after reading back: the feature has no geometry");
                var wkb = (byte[])rows.GetValue(2);
                var geometry = reader.Read(wkb);
                GeometryColumnContract.CheckFeature(source.SourceFile, new VectorFeature(index, geometry, empty), "after reading back");
                output.Add(position++, index, rows.GetString(1), wkb, geometry);
            }
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
