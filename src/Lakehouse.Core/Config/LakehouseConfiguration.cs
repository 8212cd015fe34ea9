using System.Collections;
using System.Globalization;

namespace Lakehouse.Core.Config;

/// <summary>
/// Builds <see cref="LakehouseOptions"/> from an env file (<c>--env-file</c>, else <c>TM_ENV_FILE</c>, else none)
/// with the process environment over it. Unknown <c>TM_*</c> names are warnings; unusable values are errors that
/// name the variable and where it was set. An empty value means "use the default".
/// </summary>
public static class LakehouseConfiguration
{
    public const string EnvFileVariable = "TM_ENV_FILE";
    private const string BucketPrefix = "TM_BUCKET_";
    private const string PoolPrefix = "TM_POOL_";

    private static readonly HashSet<string> Known =
    [
        EnvFileVariable, "TM_HOME", "TM_INSTANCE_STORE", "TM_POSTGRES", "TM_POSTGRES_MAX_POOL", "TM_POSTGIS_URL", "TM_OBJECT_STORE",
        "TM_S3_ENDPOINT", "TM_S3_REGION", "TM_S3_FORCE_PATH_STYLE", "TM_S3_ACCESS_KEY", "TM_S3_SECRET_KEY",
        "TM_WORKERS", "TM_JOB_INVISIBILITY_TIMEOUT", "TM_OTLP_ENDPOINT", "TM_API_KEY", "TM_ALLOWED_HOSTS", "TM_LOG_LEVEL",
        "TM_GATE_MIN_TIMESTAMP_RATE", "TM_GATE_MAX_QUARANTINE_RATE", "TM_GATE_MAX_DUPLICATE_RATE",
        "TM_CATALOG", "TM_CATALOG_URI", "TM_CATALOG_WAREHOUSE", "TM_CATALOG_AUTH", "TM_CATALOG_TOKEN", "TM_CATALOG_SIGV4_SERVICE",
        "TM_CATALOG_REGION", "TM_QUERY_CACHE_MB", "TM_MAX_RUN_PARTITIONS", "TM_MODEL_MEMORY_MB", "TM_MODEL_THREADS", "TM_MODEL_CONCURRENCY", "TM_MODEL_JOIN_INPUT_MB",
        "TM_ALERT_WEBHOOKS", "TM_DASHBOARD_URL",
        // Read by the SQL-model loader in Assets, which Core cannot name.
        "TM_MODELS_DIR",
    ];

    /// <summary>Every TM_* name a user may set, besides the <c>TM_BUCKET_&lt;LAYER&gt;</c> and <c>TM_POOL_&lt;NAME&gt;</c> families.</summary>
    public static IReadOnlyCollection<string> KnownSettings => Known;

    private static Dictionary<string, int> Pools(Dictionary<string, Setting> settings, Binder binder) =>
        settings.Keys.Where(k => k.StartsWith(PoolPrefix, StringComparison.Ordinal) && k.Length > PoolPrefix.Length && !Blank(settings[k].Value))
            .ToDictionary(k => k[PoolPrefix.Length..].ToLowerInvariant(), k => binder.Count(k, 1), StringComparer.Ordinal);

    /// <summary>Loads from this process: its environment and current directory.</summary>
    /// <param name="envFileOption">The <c>--env-file</c> value, or null to fall back on <c>TM_ENV_FILE</c>.</param>
    public static LoadedConfiguration Load(string? envFileOption) =>
        Load(envFileOption, ProcessEnvironment(), Directory.GetCurrentDirectory());

    /// <summary>Loads from the given environment; relative paths (the env file, TM_HOME) resolve against <paramref name="currentDirectory"/>.</summary>
    public static LoadedConfiguration Load(string? envFileOption, IReadOnlyDictionary<string, string> environment, string currentDirectory)
    {
        var envFile = Blank(envFileOption) ? environment.GetValueOrDefault(EnvFileVariable) : envFileOption;
        var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
        string? envFilePath = null;
        if (!Blank(envFile))
        {
            envFilePath = Path.GetFullPath(envFile!, currentDirectory);
            foreach (var entry in EnvFile.Read(envFilePath, environment))
                settings[entry.Key] = new Setting(entry.Key, entry.Value, entry.Source);
        }
        foreach (var (key, value) in environment)
            if (key.StartsWith("TM_", StringComparison.Ordinal)) settings[key] = new Setting(key, value, "the process environment");

        var warnings = new List<string>();
        var buckets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings.Values.Where(s => s.Key.StartsWith("TM_", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (setting.Key.StartsWith(BucketPrefix, StringComparison.Ordinal) && setting.Key.Length > BucketPrefix.Length)
            {
                if (!Blank(setting.Value)) buckets[setting.Key[BucketPrefix.Length..].ToLowerInvariant()] = setting.Value.Trim();
            }
            else if (setting.Key.StartsWith(PoolPrefix, StringComparison.Ordinal) && setting.Key.Length > PoolPrefix.Length)
            {
                // Read by the binder below, which names the variable when its value is not a count.
            }
            else if (!Known.Contains(setting.Key))
            {
                warnings.Add($"{setting.Key} (from {setting.Source}) is not a setting TmLakehouse knows; it is ignored.");
            }
        }
        foreach (var layer in buckets.Keys.Where(l => !Objects.Layers.All.Contains(l)).ToList())
            warnings.Add($"{BucketPrefix}{layer.ToUpperInvariant()} names a layer TmLakehouse does not have ({string.Join(", ", Objects.Layers.All)}); it is ignored.");

        var defaults = new LakehouseOptions();
        var binder = new Binder(settings);
        var options = new LakehouseOptions
        {
            Home = binder.Text("TM_HOME") is { } home ? Path.GetFullPath(home, currentDirectory) : Path.GetFullPath(".lakehouse", currentDirectory),
            InstanceStore = binder.Choice("TM_INSTANCE_STORE", defaults.InstanceStore),
            PostgresConnectionString = binder.Text("TM_POSTGRES"),
            PostGisConnectionString = binder.Text("TM_POSTGIS_URL"),
            PostgresMaxPoolSize = binder.Count("TM_POSTGRES_MAX_POOL", defaults.PostgresMaxPoolSize),
            ObjectStore = binder.Choice("TM_OBJECT_STORE", defaults.ObjectStore),
            Catalog = binder.Choice("TM_CATALOG", defaults.Catalog),
            CatalogUri = binder.Url("TM_CATALOG_URI"),
            CatalogWarehouse = binder.Text("TM_CATALOG_WAREHOUSE"),
            CatalogAuth = binder.Choice("TM_CATALOG_AUTH", binder.Text("TM_CATALOG_TOKEN") is null ? CatalogAuthKind.None : CatalogAuthKind.Bearer),
            CatalogToken = binder.Text("TM_CATALOG_TOKEN"),
            CatalogSigningService = binder.Text("TM_CATALOG_SIGV4_SERVICE") ?? defaults.CatalogSigningService,
            CatalogRegion = binder.Text("TM_CATALOG_REGION"),
            QueryCacheMegabytes = binder.Count("TM_QUERY_CACHE_MB", defaults.QueryCacheMegabytes),
            MaxRunPartitions = binder.Count("TM_MAX_RUN_PARTITIONS", defaults.MaxRunPartitions),
            ModelMemoryMegabytes = binder.Count("TM_MODEL_MEMORY_MB", defaults.ModelMemoryMegabytes),
            ModelThreads = binder.Count("TM_MODEL_THREADS", defaults.ModelThreads),
            ModelConcurrency = binder.Count("TM_MODEL_CONCURRENCY", defaults.ModelConcurrency),
            ModelJoinInputMegabytes = binder.Count("TM_MODEL_JOIN_INPUT_MB", defaults.ModelJoinInputMegabytes),
            S3Endpoint = binder.Url("TM_S3_ENDPOINT"),
            S3Region = binder.Text("TM_S3_REGION") ?? defaults.S3Region,
            S3ForcePathStyle = binder.Flag("TM_S3_FORCE_PATH_STYLE", defaults.S3ForcePathStyle),
            S3AccessKey = binder.Text("TM_S3_ACCESS_KEY"),
            S3SecretKey = binder.Text("TM_S3_SECRET_KEY"),
            Buckets = buckets.Where(b => Objects.Layers.All.Contains(b.Key)).ToDictionary(),
            Pools = Pools(settings, binder) is { Count: > 0 } pools ? pools : defaults.Pools,
            Workers = binder.Count("TM_WORKERS", defaults.Workers),
            JobInvisibilityTimeout = TimeSpan.FromSeconds(binder.Count("TM_JOB_INVISIBILITY_TIMEOUT", (int)defaults.JobInvisibilityTimeout.TotalSeconds)),
            OtlpEndpoint = binder.Url("TM_OTLP_ENDPOINT"),
            ApiKey = binder.Text("TM_API_KEY"),
            AllowedHosts = binder.Text("TM_ALLOWED_HOSTS")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            GateMinTimestampRate = binder.Rate("TM_GATE_MIN_TIMESTAMP_RATE", defaults.GateMinTimestampRate),
            GateMaxQuarantineRate = binder.Rate("TM_GATE_MAX_QUARANTINE_RATE", defaults.GateMaxQuarantineRate),
            GateMaxDuplicateRate = binder.Rate("TM_GATE_MAX_DUPLICATE_RATE", defaults.GateMaxDuplicateRate),
            AlertWebhooks = binder.Urls("TM_ALERT_WEBHOOKS"),
            DashboardUrl = binder.Url("TM_DASHBOARD_URL") ?? defaults.DashboardUrl,
        };
        Validate(options, settings);
        if (options.ObjectStore == ObjectStoreKind.S3 && options.S3Endpoint is null && options.S3AccessKey is not null)
            warnings.Add($"TM_S3_ACCESS_KEY (from {settings["TM_S3_ACCESS_KEY"].Source}) is set for AWS S3: use an IAM role through the default credential chain and leave the keys unset.");
        return new LoadedConfiguration(options, envFilePath, warnings);
    }

    private static void Validate(LakehouseOptions options, Dictionary<string, Setting> settings)
    {
        string From(string key) => settings.TryGetValue(key, out var s) ? $" (from {s.Source})" : "";
        if (options.InstanceStore == StoreKind.Postgres && Blank(options.PostgresConnectionString))
            throw new ConfigurationException($"TM_INSTANCE_STORE=postgres{From("TM_INSTANCE_STORE")} needs TM_POSTGRES, the PostgreSQL connection string.");
        if (Blank(options.S3AccessKey) != Blank(options.S3SecretKey))
            throw new ConfigurationException(
                $"TM_S3_ACCESS_KEY and TM_S3_SECRET_KEY go together{From("TM_S3_ACCESS_KEY")}{From("TM_S3_SECRET_KEY")}; set both (MinIO, s3rver) or neither (AWS credential chain).");
        if (options.Catalog == CatalogKind.Rest && Blank(options.CatalogUri))
            throw new ConfigurationException($"TM_CATALOG=rest{From("TM_CATALOG")} needs TM_CATALOG_URI, the REST catalog's base URI (the part before /v1/).");
        if (options.CatalogAuth == CatalogAuthKind.Bearer && Blank(options.CatalogToken))
            throw new ConfigurationException($"TM_CATALOG_AUTH=bearer{From("TM_CATALOG_AUTH")} needs TM_CATALOG_TOKEN.");
        foreach (var (layer, bucket) in options.Buckets)
            if (!IsBucketName(bucket))
                throw new ConfigurationException(
                    $"{BucketPrefix}{layer.ToUpperInvariant()}='{bucket}'{From(BucketPrefix + layer.ToUpperInvariant())} is not a valid bucket name (3-63 of a-z, 0-9, '.', '-').");
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            if (entry.Key is string key && entry.Value is string value) result[key] = value;
        return result;
    }

    private sealed record Setting(string Key, string Value, string Source);

    /// <summary>Turns one setting into a typed value, or an error naming the variable, the value and its source.</summary>
    private sealed class Binder(Dictionary<string, Setting> settings)
    {
        public string? Text(string key) =>
            settings.TryGetValue(key, out var s) && !Blank(s.Value) ? s.Value.Trim() : null;

        public int Count(string key, int fallback) => Parse(key, fallback, "a whole number of at least 1",
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null);

        public double Rate(string key, double fallback) => Parse(key, fallback, "a rate between 0 and 1 (like 0.95)",
            v => double.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1 ? d : null);

        public bool Flag(string key, bool fallback) => Parse(key, fallback, "true or false",
            v => v.ToLowerInvariant() switch { "true" or "1" or "yes" => true, "false" or "0" or "no" => false, _ => (bool?)null });

        public string? Url(string key) => Parse<string?>(key, null, "an absolute http(s) URL",
            v => Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? v : null);

        public IReadOnlyList<string> Urls(string key) => Parse<IReadOnlyList<string>>(key, [], "absolute http(s) URLs separated by commas",
            v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is var urls
                 && urls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") ? urls : null);

        public T Choice<T>(string key, T fallback) where T : struct, Enum => Parse(key, fallback,
            "one of " + string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant())),
            v => Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e) && !char.IsDigit(v[0]) ? e : null);

        private T Parse<T>(string key, T fallback, string expected, Func<string, object?> parse)
        {
            if (Text(key) is not { } value) return fallback;
            return parse(value) is T parsed
                ? parsed
                : throw new ConfigurationException($"{key}='{value}' (from {settings[key].Source}) is not valid: expected {expected}.");
        }
    }
}
