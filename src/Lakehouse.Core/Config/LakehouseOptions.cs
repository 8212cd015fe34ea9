namespace Lakehouse.Core.Config;

/// <summary>Which backends a process uses; switched by configuration only.</summary>
public enum StoreKind { Sqlite, Postgres }

/// <summary>Where bytes live.</summary>
public enum ObjectStoreKind { Local, S3 }

/// <summary>
/// Every setting of a lakehouse process, bound from <c>TM_*</c> variables (an env file first, the process environment over it).
/// Defaults are the embedded mode: SQLite and a folder under <see cref="Home"/>.
/// </summary>
public sealed partial record LakehouseOptions
{
    /// <summary>TM_HOME: the instance folder (SQLite file, local buckets, logs). Default <c>./.lakehouse</c>.</summary>
    public string Home { get; init; } = Path.GetFullPath(".lakehouse");

    /// <summary>TM_INSTANCE_STORE: sqlite | postgres.</summary>
    public StoreKind InstanceStore { get; init; } = StoreKind.Sqlite;

    /// <summary>TM_POSTGRES: the Npgsql connection string (local and aws modes).</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>TM_POSTGRES_MAX_POOL: the most connections one process opens.</summary>
    public int PostgresMaxPoolSize { get; init; } = 20;

    /// <summary>TM_OBJECT_STORE: local | s3.</summary>
    public ObjectStoreKind ObjectStore { get; init; } = ObjectStoreKind.Local;

    /// <summary>TM_S3_ENDPOINT: an S3-compatible endpoint (MinIO, s3rver); unset for AWS.</summary>
    public string? S3Endpoint { get; init; }
    /// <summary>TM_S3_REGION.</summary>
    public string S3Region { get; init; } = "us-east-1";
    /// <summary>TM_S3_FORCE_PATH_STYLE: true for MinIO and s3rver.</summary>
    public bool S3ForcePathStyle { get; init; }
    /// <summary>TM_S3_ACCESS_KEY / TM_S3_SECRET_KEY: only for MinIO-like servers; AWS uses the default credential chain.</summary>
    public string? S3AccessKey { get; init; }
    public string? S3SecretKey { get; init; }

    /// <summary>TM_BUCKET_&lt;LAYER&gt;: the bucket of each layer; defaults to <c>tm-&lt;layer&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string> Buckets { get; init; } = new Dictionary<string, string>();

    /// <summary>TM_WORKERS: in-process worker count; default the number of cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>TM_JOB_INVISIBILITY_TIMEOUT (seconds): how long a step of a dead worker stays claimed before another worker takes it.</summary>
    public TimeSpan JobInvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>TM_OTLP_ENDPOINT: when set, traces and metrics are exported over OTLP.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>TM_API_KEY: the key mutations of the REST API and dashboard need.</summary>
    public string? ApiKey { get; init; }

    /// <summary>TM_ALLOWED_HOSTS: host names (comma-separated) the dashboard answers besides loopback ones; <c>*</c> for any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Silver gates (TM_GATE_MIN_TIMESTAMP_RATE, TM_GATE_MAX_QUARANTINE_RATE, TM_GATE_MAX_DUPLICATE_RATE).</summary>
    public double GateMinTimestampRate { get; init; } = 0.95;
    public double GateMaxQuarantineRate { get; init; } = 0.05;
    public double GateMaxDuplicateRate { get; init; } = 0.20;

    /// <summary>The bucket name of a layer.</summary>
    public string BucketFor(string layer) => Buckets.TryGetValue(layer, out var b) ? b : $"tm-{layer}";

    public string SqlitePath => Path.Combine(Home, "instance.db");
}
