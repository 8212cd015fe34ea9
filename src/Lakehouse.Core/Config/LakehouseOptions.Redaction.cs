using System.Text;
using Npgsql;

namespace Lakehouse.Core.Config;

public sealed partial record LakehouseOptions
{
    private const string Hidden = "***";

    /// <summary>Every setting on one line for logs and <c>tmlake config</c>; passwords, keys and the API key are hidden.</summary>
    public string Redacted()
    {
        var text = new StringBuilder();
        text.Append($"TM_HOME={Home} TM_INSTANCE_STORE={InstanceStore.ToString().ToLowerInvariant()}");
        if (PostgresConnectionString is not null) text.Append($" TM_POSTGRES=\"{RedactConnectionString(PostgresConnectionString)}\"");
        if (PostGisConnectionString is not null) text.Append($" TM_POSTGIS_URL=\"{RedactConnectionString(PostGisConnectionString)}\"");
        text.Append($" TM_POSTGRES_MAX_POOL={PostgresMaxPoolSize} TM_OBJECT_STORE={ObjectStore.ToString().ToLowerInvariant()}");
        text.Append($" TM_CATALOG={Catalog.ToString().ToLowerInvariant()}");
        if (Catalog == CatalogKind.Rest)
        {
            text.Append($" TM_CATALOG_URI={CatalogUri} TM_CATALOG_AUTH={CatalogAuth.ToString().ToLowerInvariant()}");
            if (CatalogWarehouse is not null) text.Append($" TM_CATALOG_WAREHOUSE={CatalogWarehouse}");
            if (CatalogToken is not null) text.Append($" TM_CATALOG_TOKEN={Hidden}");
        }
        if (S3Endpoint is not null) text.Append($" TM_S3_ENDPOINT={S3Endpoint}");
        text.Append($" TM_S3_REGION={S3Region} TM_S3_FORCE_PATH_STYLE={S3ForcePathStyle.ToString().ToLowerInvariant()}");
        text.Append($" TM_S3_ACCESS_KEY={(S3AccessKey is null ? "(credential chain)" : Hidden)}");
        if (S3SecretKey is not null) text.Append($" TM_S3_SECRET_KEY={Hidden}");
        foreach (var layer in Objects.Layers.All) text.Append($" TM_BUCKET_{layer.ToUpperInvariant()}={BucketFor(layer)}");
        text.Append($" TM_WORKERS={Workers}");
        if (OtlpEndpoint is not null) text.Append($" TM_OTLP_ENDPOINT={OtlpEndpoint}");
        text.Append($" TM_API_KEY={(ApiKey is null ? "(none)" : Hidden)}");
        if (AllowedHosts.Count > 0) text.Append($" TM_ALLOWED_HOSTS={string.Join(',', AllowedHosts)}");
        text.Append(System.FormattableString.Invariant(
            $" TM_GATE_MIN_TIMESTAMP_RATE={GateMinTimestampRate} TM_GATE_MAX_QUARANTINE_RATE={GateMaxQuarantineRate} TM_GATE_MAX_DUPLICATE_RATE={GateMaxDuplicateRate}"));
        return text.ToString();
    }

    /// <summary>The record's generated ToString would print every secret; this one prints <see cref="Redacted"/>.</summary>
    public override string ToString() => $"LakehouseOptions {{ {Redacted()} }}";

    private static string RedactConnectionString(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.Password is not null) builder.Password = Hidden;
            if (builder.SslPassword is not null) builder.SslPassword = Hidden;
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            // A string Npgsql cannot parse may still hold a password anywhere in it.
            return "(unparseable connection string, hidden)";
        }
    }
}
