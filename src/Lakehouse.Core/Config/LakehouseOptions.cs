namespace Lakehouse.Core.Config;

/// <summary>Which backends a process uses; switched by configuration only.</summary>
public enum StoreKind { Sqlite, Postgres }

/// <summary>Which Iceberg catalog holds the table pointers: the SQL catalog on the instance store's database, or a REST catalog.</summary>
public enum CatalogKind { Sql, Rest }

/// <summary>How the REST catalog client authenticates: not at all, with a bearer token, or with AWS SigV4 (Glue, S3 Tables).</summary>
public enum CatalogAuthKind { None, Bearer, SigV4 }

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

    /// <summary>TM_HOME/staging: local files on their way to or from the object stores, one folder per process (<see cref="Objects.LocalStaging"/>).</summary>
    public string StagingRoot => Path.Combine(Home, "staging");

    /// <summary>TM_INSTANCE_STORE: sqlite | postgres.</summary>
    public StoreKind InstanceStore { get; init; } = StoreKind.Sqlite;

    /// <summary>TM_POSTGRES: the Npgsql connection string (local and aws modes).</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>TM_POSTGIS_URL: a PostgreSQL with PostGIS that spatial recipes use as transient compute; unset = in process.</summary>
    public string? PostGisConnectionString { get; init; }

    /// <summary>TM_POSTGRES_MAX_POOL: the most connections one process opens.</summary>
    public int PostgresMaxPoolSize { get; init; } = 20;

    /// <summary>TM_CATALOG: sql (the JDBC-layout catalog beside the instance store, default) | rest (an Iceberg REST catalog).</summary>
    public CatalogKind Catalog { get; init; } = CatalogKind.Sql;
    /// <summary>TM_CATALOG_URI: the REST catalog's base URI, the part before <c>/v1/</c> (e.g. https://glue.us-east-1.amazonaws.com/iceberg).</summary>
    public string? CatalogUri { get; init; }
    /// <summary>TM_CATALOG_WAREHOUSE: the warehouse to ask the REST catalog for (Glue: the account id; S3 Tables: the table bucket ARN).</summary>
    public string? CatalogWarehouse { get; init; }
    /// <summary>TM_CATALOG_AUTH: none | bearer | sigv4; default bearer when TM_CATALOG_TOKEN is set, else none.</summary>
    public CatalogAuthKind CatalogAuth { get; init; } = CatalogAuthKind.None;
    /// <summary>TM_CATALOG_TOKEN: the bearer token for the REST catalog.</summary>
    public string? CatalogToken { get; init; }
    /// <summary>TM_CATALOG_SIGV4_SERVICE: the service name SigV4 signs for (glue, or s3tables for S3 Tables).</summary>
    public string CatalogSigningService { get; init; } = "glue";
    /// <summary>TM_CATALOG_REGION: the region SigV4 signs for; default TM_S3_REGION.</summary>
    public string? CatalogRegion { get; init; }

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

    /// <summary>TM_ALERT_WEBHOOKS: URLs (comma-separated) the run-failure sensor posts a JSON message to for every failed run.</summary>
    public IReadOnlyList<string> AlertWebhooks { get; init; } = [];

    /// <summary>TM_DASHBOARD_URL: the dashboard's address as people reach it, for links in alerts (default http://127.0.0.1:3000).</summary>
    public string DashboardUrl { get; init; } = "http://127.0.0.1:3000";

    /// <summary>TM_API_KEY: the key mutations of the REST API and dashboard need.</summary>
    public string? ApiKey { get; init; }

    /// <summary>TM_ALLOWED_HOSTS: host names (comma-separated) the dashboard answers besides loopback ones; <c>*</c> for any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Silver gates (TM_GATE_MIN_TIMESTAMP_RATE, TM_GATE_MAX_QUARANTINE_RATE, TM_GATE_MAX_DUPLICATE_RATE).</summary>
    public double GateMinTimestampRate { get; init; } = 0.95;
    public double GateMaxQuarantineRate { get; init; } = 0.05;
    public double GateMaxDuplicateRate { get; init; } = 0.20;

    /// <summary>TM_QUERY_CACHE_MB: how much local disk `tmlake query` may use for data files staged from S3 (default 4096).</summary>
    public int QueryCacheMegabytes { get; init; } = 4096;

    /// <summary>TM_MAX_RUN_PARTITIONS: the most partitions one run may be asked for (default 10,000); more is a backfill.</summary>
    public int MaxRunPartitions { get; init; } = Execution.RunPlanner.DefaultMaxPartitions;

    /// <summary>
    /// TM_MODEL_MEMORY_MB: the memory DuckDB may use for the SQL-model steps running at once (they share one database) before it
    /// spills to disk (default 192; on 2026-12-03 the four per-round Gold models on the 1 GB Silver, whole CLI process, two at a time: 395–433 MB peak at 192, 428–453 MB at 256).
    /// </summary>
    public int ModelMemoryMegabytes { get; init; } = 192;

    /// <summary>
    /// TM_MODEL_THREADS: DuckDB's threads in one SQL-model step (default 0: one per core). Each thread keeps its own aggregate
    /// table, so 1 trades time for memory (fact_rounds on the 1 GB Silver: 309 MB peak with one thread, 373 MB with two).
    /// </summary>
    public int ModelThreads { get; init; }

    /// <summary>
    /// TM_MODEL_CONCURRENCY: how many SQL-model steps of one process run their DuckDB queries at once (default 2; the others wait
    /// their turn), a second one only while their inputs are small (<see cref="ModelJoinInputMegabytes"/>).
    /// </summary>
    public int ModelConcurrency { get; init; } = 2;

    /// <summary>
    /// TM_MODEL_JOIN_INPUT_MB: a model step queries beside another only while the data files both read add up to at most this
    /// (default 24). Over large inputs DuckDB's threads already use every core and a second query adds memory, not speed; over
    /// small ones (a course's day, as in `tmlake demo`) a step is mostly its own single-threaded work, which a second one overlaps.
    /// At 64 the 1 GB Silver's two models over fact_rounds (16 MB each) ran together: Gold CLI 333–363 MB peak against 302–330
    /// one at a time; at 24 they run alone (302–326 MB) and the demo's steps over a course's Silver (~20 MB) pair only with
    /// the small ones (50 Gold steps alone: 4.5–4.8 s at 64, 4.8–5.0 s at 24).
    /// </summary>
    public int ModelJoinInputMegabytes { get; init; } = 24;

    /// <summary>TM_POOL_&lt;NAME&gt;=N: at most N steps of the assets in pool NAME (lower case here) run at once, across every worker.</summary>
    public IReadOnlyDictionary<string, int> Pools { get; init; } = NoPools;

    // One shared instance: options without pools compare equal (a record compares dictionaries by reference).
    private static readonly IReadOnlyDictionary<string, int> NoPools = new Dictionary<string, int>();

    /// <summary>The bucket name of a layer.</summary>
    public string BucketFor(string layer) => Buckets.TryGetValue(layer, out var b) ? b : $"tm-{layer}";

    public string SqlitePath => Path.Combine(Home, "instance.db");
}
