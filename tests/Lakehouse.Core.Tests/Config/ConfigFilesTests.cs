using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Microsoft.Extensions.DependencyInjection;

namespace Lakehouse.Core.Tests.Config;

/// <summary>
/// The shipped config/*.env files load cleanly, and registering the backends they name (<c>AddLakehouse(options).UseConfiguredBackends()</c>)
/// gives the right instance database and a working object-store provider (nothing is contacted).
/// </summary>
public sealed class ConfigFilesTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("tm-configfiles-").FullName;

    [Fact]
    public async Task EmbeddedEnv_GivesSqliteAndAFolderUnderTheCurrentDirectory()
    {
        var loaded = LakehouseConfiguration.Load(ConfigFile("embedded.env"), new Dictionary<string, string>(), _cwd);

        Assert.Empty(loaded.Warnings);
        Assert.Equal(Path.Combine(_cwd, ".lakehouse"), loaded.Options.Home);
        Assert.Equal((StoreKind.Sqlite, ObjectStoreKind.Local), (loaded.Options.InstanceStore, loaded.Options.ObjectStore));
        await using var lake = Configured(loaded.Options);
        Assert.Null(lake.GetRequiredService<InstanceBackend>().PostgresConnectionString);
        var provider = Assert.IsType<LocalObjectStoreProvider>(lake.GetRequiredService<IObjectStoreProvider>());
        Assert.Equal(new Uri(Path.Combine(_cwd, ".lakehouse", "lake", "tm-bronze", "k.csv")).AbsoluteUri, provider.For(Layers.Bronze).LocationOf("k.csv"));
    }

    [Fact]
    public async Task LocalEnv_GivesPostgresAndMinioWithPathStyleAndTheStackBuckets()
    {
        var loaded = LakehouseConfiguration.Load(ConfigFile("local.env"), new Dictionary<string, string>(), _cwd);
        var options = loaded.Options;

        Assert.Empty(loaded.Warnings);
        Assert.Equal(StoreKind.Postgres, options.InstanceStore);
        Assert.Contains("Host=postgres", options.PostgresConnectionString);
        Assert.Equal((ObjectStoreKind.S3, "http://minio:9000", true), (options.ObjectStore, options.S3Endpoint, options.S3ForcePathStyle));
        Assert.Equal(Layers.All.Select(l => $"tm-{l}"), Layers.All.Select(options.BucketFor));
        await using var lake = Configured(options);
        Assert.Equal(options.PostgresConnectionString, lake.GetRequiredService<InstanceBackend>().PostgresConnectionString);
        var provider = Assert.IsType<S3ObjectStoreProvider>(lake.GetRequiredService<IObjectStoreProvider>());
        Assert.Equal("s3://tm-silver/t/x.parquet", provider.For(Layers.Silver).LocationOf("t/x.parquet"));
    }

    [Fact]
    public async Task AwsEnv_TakesTheDatabaseFromTheEnvironment_AndHasNoS3Keys()
    {
        var environment = new Dictionary<string, string>
        {
            ["RDS_HOST"] = "tmlake.abc.us-east-1.rds.amazonaws.com", ["RDS_PASSWORD"] = "from-secrets-manager", ["AWS_ACCOUNT_ID"] = "123456789012",
        };

        var loaded = LakehouseConfiguration.Load(ConfigFile("aws.env"), environment, _cwd);
        var options = loaded.Options;

        Assert.Empty(loaded.Warnings);
        Assert.Contains("Host=tmlake.abc.us-east-1.rds.amazonaws.com", options.PostgresConnectionString);
        Assert.Contains("SSL Mode=Require", options.PostgresConnectionString);
        Assert.Equal((ObjectStoreKind.S3, null, null, null), (options.ObjectStore, options.S3Endpoint, options.S3AccessKey, options.S3SecretKey));
        Assert.DoesNotContain("from-secrets-manager", File.ReadAllText(ConfigFile("aws.env")));
        Assert.DoesNotContain("from-secrets-manager", options.ToString());
        await using var lake = Configured(options);
        var provider = Assert.IsType<S3ObjectStoreProvider>(lake.GetRequiredService<IObjectStoreProvider>());
        Assert.Equal("s3://tmlake-prod-gold/fact_rounds/m.json", provider.For(Layers.Gold).LocationOf("fact_rounds/m.json"));
        // Tables are committed to the Glue Data Catalog through its Iceberg REST endpoint, so Athena sees them.
        Assert.Equal((CatalogKind.Rest, "https://glue.us-east-1.amazonaws.com/iceberg", "123456789012", CatalogAuthKind.SigV4, "glue"),
            (options.Catalog, options.CatalogUri, options.CatalogWarehouse, options.CatalogAuth, options.CatalogSigningService));
    }

    [Fact]
    public void AwsEnv_NamesTheFileAndLine_WhenTheDatabaseHostIsNotInTheEnvironment()
    {
        var path = ConfigFile("aws.env");
        var line = File.ReadLines(path).Select((text, i) => (text, number: i + 1)).First(l => l.text.StartsWith("TM_POSTGRES=")).number;

        var error = Assert.Throws<ConfigurationException>(() => LakehouseConfiguration.Load(path, new Dictionary<string, string>(), _cwd));

        Assert.Contains($"{path} line {line}", error.Message);
        Assert.Contains("${RDS_HOST}", error.Message);
    }

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    private static string ConfigFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln"))) return Path.Combine(dir.FullName, "config", name);
        throw new InvalidOperationException($"No TmLakehouse.sln above {AppContext.BaseDirectory}.");
    }

    private static ServiceProvider Configured(LakehouseOptions options)
    {
        var services = new ServiceCollection();
        services.AddLakehouse(options).UseConfiguredBackends();
        return services.BuildServiceProvider();
    }
}
