using Lakehouse.Core.Config;

namespace Lakehouse.Core.Tests.Config;

public sealed class LakehouseOptionsTests
{
    private static readonly LakehouseOptions WithSecrets = new()
    {
        InstanceStore = StoreKind.Postgres,
        PostgresConnectionString = "Host=db.internal;Database=tmlake;Username=tm;Password=pg-Pa55word!;SSL Password=ssl-Pa55",
        ObjectStore = ObjectStoreKind.S3,
        S3Endpoint = "http://minio:9000",
        S3AccessKey = "AKIAEXAMPLEACCESS",
        S3SecretKey = "s3-Secret/Key+Value",
        ApiKey = "api-key-0123456789",
        Buckets = new Dictionary<string, string> { ["gold"] = "prod-gold" },
    };

    private static readonly string[] Secrets = ["pg-Pa55word!", "ssl-Pa55", "AKIAEXAMPLEACCESS", "s3-Secret/Key+Value", "api-key-0123456789"];

    [Fact]
    public void RedactedAndToString_NeverShowSecrets_ButShowWhereThingsAre()
    {
        foreach (var text in new[] { WithSecrets.Redacted(), WithSecrets.ToString(), $"{WithSecrets}", $"{new { Options = WithSecrets }}" })
        {
            foreach (var secret in Secrets) Assert.DoesNotContain(secret, text);
            Assert.Contains("db.internal", text);
            Assert.Contains("Username=tm", text);
            Assert.Contains("TM_S3_ENDPOINT=http://minio:9000", text);
            Assert.Contains("TM_BUCKET_GOLD=prod-gold", text);
            Assert.Contains("TM_BUCKET_SILVER=tm-silver", text);
            Assert.Contains("TM_API_KEY=***", text);
        }
    }

    [Fact]
    public void Redacted_HidesAConnectionStringItCannotParse_Whole()
    {
        var options = new LakehouseOptions { PostgresConnectionString = "Host=db;Password=pw-Hidden;NotAKeyword=1" };

        var text = options.Redacted();

        Assert.DoesNotContain("pw-Hidden", text);
        Assert.Contains("unparseable", text);
    }

    [Fact]
    public void Redacted_SaysTheCredentialChain_WhenNoKeysAreConfigured()
    {
        Assert.Contains("TM_S3_ACCESS_KEY=(credential chain)", new LakehouseOptions().Redacted());
    }
}
