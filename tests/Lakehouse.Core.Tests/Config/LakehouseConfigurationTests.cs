using Lakehouse.Core.Config;

namespace Lakehouse.Core.Tests.Config;

public sealed class LakehouseConfigurationTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("tm-config-").FullName;

    [Fact]
    public void Load_GivesTheEmbeddedDefaults_WhenThereIsNoEnvFileAndNoVariable()
    {
        var loaded = Load(null, new() { ["PATH"] = "/usr/bin", ["HOME"] = "/root" });

        Assert.Null(loaded.EnvFile);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(Path.Combine(_cwd, ".lakehouse"), loaded.Options.Home);
        Assert.Equal(StoreKind.Sqlite, loaded.Options.InstanceStore);
        Assert.Equal(ObjectStoreKind.Local, loaded.Options.ObjectStore);
        Assert.Equal("tm-bronze", loaded.Options.BucketFor("bronze"));
    }

    [Fact]
    public void Load_BindsEveryTmVariable()
    {
        var options = Load(null, new()
        {
            ["TM_HOME"] = "/srv/tm",
            ["TM_INSTANCE_STORE"] = "Postgres",
            ["TM_POSTGRES"] = "Host=db;Username=tm;Password=pw",
            ["TM_POSTGRES_MAX_POOL"] = "7",
            ["TM_OBJECT_STORE"] = "s3",
            ["TM_S3_ENDPOINT"] = "http://minio:9000",
            ["TM_S3_REGION"] = "eu-west-1",
            ["TM_S3_FORCE_PATH_STYLE"] = "true",
            ["TM_S3_ACCESS_KEY"] = "ak",
            ["TM_S3_SECRET_KEY"] = "sk",
            ["TM_BUCKET_BRONZE"] = "my-bronze",
            ["TM_BUCKET_OBSERVABILITY"] = "my-obs",
            ["TM_WORKERS"] = "3",
            ["TM_OTLP_ENDPOINT"] = "http://otel:4317",
            ["TM_API_KEY"] = "key",
            ["TM_GATE_MIN_TIMESTAMP_RATE"] = "0.9",
            ["TM_GATE_MAX_QUARANTINE_RATE"] = "0.1",
            ["TM_GATE_MAX_DUPLICATE_RATE"] = "0.3",
        }).Options;

        Assert.Equal(new LakehouseOptions
        {
            Home = "/srv/tm",
            InstanceStore = StoreKind.Postgres,
            PostgresConnectionString = "Host=db;Username=tm;Password=pw",
            PostgresMaxPoolSize = 7,
            ObjectStore = ObjectStoreKind.S3,
            S3Endpoint = "http://minio:9000",
            S3Region = "eu-west-1",
            S3ForcePathStyle = true,
            S3AccessKey = "ak",
            S3SecretKey = "sk",
            Buckets = options.Buckets,
            Workers = 3,
            OtlpEndpoint = "http://otel:4317",
            ApiKey = "key",
            GateMinTimestampRate = 0.9,
            GateMaxQuarantineRate = 0.1,
            GateMaxDuplicateRate = 0.3,
        }, options);
        Assert.Equal(new Dictionary<string, string> { ["bronze"] = "my-bronze", ["observability"] = "my-obs" }, options.Buckets);
        Assert.Equal("tm-gold", options.BucketFor("gold"));
    }

    [Fact]
    public void Load_ReadsEveryPoolLimit_ByItsLowerCaseName_AndRefusesOneThatIsNotACount()
    {
        var loaded = Load(null, new() { ["TM_POOL_POSTGIS"] = "2", ["TM_POOL_Slow"] = "5" });

        Assert.Empty(loaded.Warnings);
        Assert.Equal(new Dictionary<string, int> { ["postgis"] = 2, ["slow"] = 5 }, loaded.Options.Pools);
        var error = Assert.Throws<ConfigurationException>(() => Load(null, new() { ["TM_POOL_POSTGIS"] = "0" }));
        Assert.Contains("TM_POOL_POSTGIS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LetsTheProcessEnvironmentOverrideTheEnvFile()
    {
        var file = Write("a.env", "TM_WORKERS=2\nTM_S3_REGION=eu-west-1\n");

        var options = Load(file, new() { ["TM_WORKERS"] = "6" }).Options;

        Assert.Equal(6, options.Workers);
        Assert.Equal("eu-west-1", options.S3Region);
    }

    [Fact]
    public void Load_ReadsTmEnvFile_WhenNoOptionIsGiven_AndTheOptionWinsOverIt()
    {
        Write("from-variable.env", "TM_WORKERS=2\n");
        Write("from-option.env", "TM_WORKERS=5\n");

        var byVariable = Load(null, new() { ["TM_ENV_FILE"] = "from-variable.env" });
        var byOption = Load("from-option.env", new() { ["TM_ENV_FILE"] = "from-variable.env" });

        Assert.Equal((Path.Combine(_cwd, "from-variable.env"), 2), (byVariable.EnvFile, byVariable.Options.Workers));
        Assert.Equal((Path.Combine(_cwd, "from-option.env"), 5), (byOption.EnvFile, byOption.Options.Workers));
    }

    [Fact]
    public void Load_DoesNotCallTheModelsFolderUnknown_SinceTheModelLoaderReadsIt()
    {
        var loaded = Load(null, new() { ["TM_MODELS_DIR"] = "/srv/models" });

        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_WarnsAboutUnknownTmVariables_NamingWhereTheyCameFrom()
    {
        var file = Write("a.env", "TM_HOME=x\nTM_WROKERS=4\n");

        var loaded = Load(file, new() { ["TM_S3_BUCKET"] = "b", ["TM_BUCKET_PLATINUM"] = "p", ["OTHER_VAR"] = "ignored quietly" });

        Assert.Equal(3, loaded.Warnings.Count);
        Assert.Contains(loaded.Warnings, w => w.Contains("TM_WROKERS") && w.Contains($"{file} line 2"));
        Assert.Contains(loaded.Warnings, w => w.Contains("TM_S3_BUCKET") && w.Contains("process environment"));
        Assert.Contains(loaded.Warnings, w => w.Contains("TM_BUCKET_PLATINUM"));
        Assert.DoesNotContain("platinum", loaded.Options.Buckets.Keys);
    }

    [Theory]
    [InlineData("TM_WORKERS", "abc")]
    [InlineData("TM_WORKERS", "0")]
    [InlineData("TM_POSTGRES_MAX_POOL", "-1")]
    [InlineData("TM_INSTANCE_STORE", "mysql")]
    [InlineData("TM_OBJECT_STORE", "1")]
    [InlineData("TM_S3_FORCE_PATH_STYLE", "maybe")]
    [InlineData("TM_S3_ENDPOINT", "minio:9000")]
    [InlineData("TM_GATE_MAX_QUARANTINE_RATE", "5%")]
    [InlineData("TM_GATE_MIN_TIMESTAMP_RATE", "1.5")]
    public void Load_NamesTheVariableValueFileAndLine_WhenAValueIsBad(string key, string value)
    {
        var file = Write("bad.env", $"# settings\n{key}={value}\n");

        var error = Assert.Throws<ConfigurationException>(() => Load(file, new()));

        Assert.Contains($"{key}='{value}'", error.Message);
        Assert.Contains($"{file} line 2", error.Message);
    }

    [Fact]
    public void Load_SaysTheProcessEnvironment_WhenTheBadValueCameFromIt()
    {
        var file = Write("a.env", "TM_WORKERS=2\n");

        var error = Assert.Throws<ConfigurationException>(() => Load(file, new() { ["TM_WORKERS"] = "many" }));

        Assert.Contains("TM_WORKERS='many' (from the process environment)", error.Message);
    }

    [Fact]
    public void Load_ResolvesARelativeHome_AgainstTheCurrentDirectory()
    {
        var options = Load(null, new() { ["TM_HOME"] = "data/../state" }).Options;

        Assert.Equal(Path.Combine(_cwd, "state"), options.Home);
    }

    [Fact]
    public void Load_TreatsAnEmptyValueAsTheDefault()
    {
        var options = Load(Write("a.env", "TM_WORKERS=\nTM_S3_ENDPOINT=\n"), new()).Options;

        Assert.Equal(Environment.ProcessorCount, options.Workers);
        Assert.Null(options.S3Endpoint);
    }

    [Fact]
    public void Load_Fails_WhenPostgresIsChosenWithoutAConnectionString()
    {
        var file = Write("a.env", "TM_INSTANCE_STORE=postgres\n");

        var error = Assert.Throws<ConfigurationException>(() => Load(file, new()));

        Assert.Contains("TM_POSTGRES", error.Message);
        Assert.Contains($"{file} line 1", error.Message);
    }

    [Fact]
    public void Load_BindsTheRestCatalog_AndRefusesItWithoutAUriOrAToken()
    {
        var options = Load(null, new()
        {
            ["TM_CATALOG"] = "rest", ["TM_CATALOG_URI"] = "http://127.0.0.1:3000/iceberg", ["TM_CATALOG_WAREHOUSE"] = "tmlake", ["TM_CATALOG_TOKEN"] = "t0ken",
            ["TM_QUERY_CACHE_MB"] = "512",
        }).Options;

        Assert.Equal((CatalogKind.Rest, "http://127.0.0.1:3000/iceberg", "tmlake", CatalogAuthKind.Bearer, "t0ken", 512),
            (options.Catalog, options.CatalogUri, options.CatalogWarehouse, options.CatalogAuth, options.CatalogToken, options.QueryCacheMegabytes));
        Assert.DoesNotContain("t0ken", options.Redacted());
        Assert.Contains("TM_CATALOG_URI", Assert.Throws<ConfigurationException>(() => Load(null, new() { ["TM_CATALOG"] = "rest" })).Message);
        Assert.Contains("TM_CATALOG_TOKEN", Assert.Throws<ConfigurationException>(() => Load(null, new()
        {
            ["TM_CATALOG"] = "rest", ["TM_CATALOG_URI"] = "https://glue.us-east-1.amazonaws.com/iceberg", ["TM_CATALOG_AUTH"] = "bearer",
        })).Message);
        Assert.Contains("none, bearer, sigv4", Assert.Throws<ConfigurationException>(() => Load(null, new() { ["TM_CATALOG_AUTH"] = "magic" })).Message);
    }

    [Fact]
    public void Load_Fails_WhenOnlyOneOfTheS3KeysIsSet()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(null, new() { ["TM_S3_ACCESS_KEY"] = "ak" }));

        Assert.Contains("TM_S3_SECRET_KEY", error.Message);
    }

    [Fact]
    public void Load_Fails_WhenABucketNameIsInvalid()
    {
        var file = Write("a.env", "TM_BUCKET_GOLD=Gold_Bucket\n");

        var error = Assert.Throws<ConfigurationException>(() => Load(file, new()));

        Assert.Contains("TM_BUCKET_GOLD='Gold_Bucket'", error.Message);
        Assert.Contains($"{file} line 1", error.Message);
    }

    [Fact]
    public void Load_WarnsAgainstAccessKeys_WhenTheStoreIsAwsS3()
    {
        var file = Write("a.env", "TM_OBJECT_STORE=s3\nTM_S3_ACCESS_KEY=AKIA\nTM_S3_SECRET_KEY=secret\n");

        var aws = Load(file, new());
        var minio = Load(file, new() { ["TM_S3_ENDPOINT"] = "http://minio:9000" });

        Assert.Contains(aws.Warnings, w => w.Contains("TM_S3_ACCESS_KEY") && w.Contains($"{file} line 2") && w.Contains("IAM role"));
        Assert.DoesNotContain(aws.Warnings, w => w.Contains("AKIA") || w.Contains("secret"));
        Assert.Empty(minio.Warnings);
    }

    [Fact]
    public void Load_NamesTheFile_WhenTheEnvFileIsMissing()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("nope.env", new()));

        Assert.Contains(Path.Combine(_cwd, "nope.env"), error.Message);
    }

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    private LoadedConfiguration Load(string? envFile, Dictionary<string, string> environment) =>
        LakehouseConfiguration.Load(envFile, environment, _cwd);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_cwd, name);
        File.WriteAllText(path, text);
        return path;
    }
}
