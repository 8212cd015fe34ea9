using Lakehouse.Core.Config;

namespace Orchestrator.Tests.Deployment;

public sealed class TrinoCatalogTests
{
    private readonly Dictionary<string, string> _properties = ReadProperties("docker/trino/catalog/iceberg.properties");

    [Fact]
    public void Catalog_ReadsTheJdbcCatalogInPostgres_UnderTheTmlakeCatalogName()
    {
        Assert.Equal("iceberg", _properties["connector.name"]);
        Assert.Equal("jdbc", _properties["iceberg.catalog.type"]);
        Assert.Equal("org.postgresql.Driver", _properties["iceberg.jdbc-catalog.driver-class"]);
        Assert.Equal("tmlake", _properties["iceberg.jdbc-catalog.catalog-name"]);
        Assert.StartsWith("s3://", _properties["iceberg.jdbc-catalog.default-warehouse-dir"]);
        Assert.Equal("${ENV:POSTGRES_USER}", _properties["iceberg.jdbc-catalog.connection-user"]);
        Assert.Equal("${ENV:POSTGRES_PASSWORD}", _properties["iceberg.jdbc-catalog.connection-password"]);
    }

    [Fact]
    public void Catalog_PointsAtTheSameDatabaseAndObjectStore_AsTheApplication()
    {
        var local = LakehouseConfiguration.Load(RepositoryFiles.PathOf("config/local.env"), new Dictionary<string, string>(), RepositoryFiles.Root).Options;
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(local.PostgresConnectionString);

        Assert.Equal($"jdbc:postgresql://{postgres.Host}:{postgres.Port}/{postgres.Database}", _properties["iceberg.jdbc-catalog.connection-url"]);
        Assert.Equal("true", _properties["fs.native-s3.enabled"]);
        Assert.Equal(local.S3Endpoint, _properties["s3.endpoint"]);
        Assert.Equal("true", _properties["s3.path-style-access"]);
        Assert.Equal(local.S3Region, _properties["s3.region"]);
        Assert.Equal("${ENV:TM_S3_ACCESS_KEY}", _properties["s3.aws-access-key"]);
        Assert.Equal("${ENV:TM_S3_SECRET_KEY}", _properties["s3.aws-secret-key"]);
    }

    [Fact]
    public void TrinoService_GetsTheEnvironmentTheCatalogReferences()
    {
        var trino = ComposeFile.Load().Service("trino");
        var envFiles = ComposeFile.Strings(trino, "env_file");
        var available = envFiles.SelectMany(f => EnvFile.Read(RepositoryFiles.PathOf(f), new Dictionary<string, string>())).Select(e => e.Key).ToHashSet();

        var referenced = _properties.Values.SelectMany(v => System.Text.RegularExpressions.Regex.Matches(v, @"\$\{ENV:([A-Z0-9_]+)\}").Select(m => m.Groups[1].Value));

        Assert.All(referenced, name => Assert.Contains(name, available));
        Assert.Contains("./docker/trino/catalog:/etc/trino/catalog:ro", ComposeFile.Strings(trino, "volumes"));
    }

    private static Dictionary<string, string> ReadProperties(string relative) =>
        File.ReadLines(RepositoryFiles.PathOf(relative))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
}
