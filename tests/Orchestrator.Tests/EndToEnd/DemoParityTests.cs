using Npgsql;
using Orchestrator.Tests.Support;
using TestSupport;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 6's done-when as a user checks it: `tmlake demo` with TM_ENV_FILE naming config/local.env's settings, pointed at a
/// loopback PostgreSQL and s3rver, prints the same per-course figures as the embedded default.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DemoParityTests(PostgresServerFixture postgres, S3ServerFixture s3) : IClassFixture<S3ServerFixture>, IDisposable
{
    private static readonly string[] DemoArguments = ["demo", "--rounds", "60"];
    private readonly TempHome _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Demo_OnPostgresAndS3_PrintsTheSameSummaryAsTheEmbeddedDefault()
    {
        using var embedded = new TmlakeHome();
        var embeddedOutput = await embedded.OkAsync(DemoArguments);

        using var local = new TmlakeHome { EnvFile = await WriteLocalEnvFileAsync() };
        var localOutput = await local.OkAsync(DemoArguments);

        // The runtime line proves each run used the backends it was meant to, not a silent fallback to the embedded mode.
        Assert.Contains("(Sqlite instance, Local objects", embeddedOutput, StringComparison.Ordinal);
        Assert.Contains("(Postgres instance, S3 objects", localOutput, StringComparison.Ordinal);
        var expected = DemoSummaryRow.Parse(embeddedOutput);
        var actual = DemoSummaryRow.Parse(localOutput);
        Assert.Equal(["americanfalls", "bradshawfarmgc", "erinhills", "indiancreek", "pinehurst4"], expected.Select(r => r.Course));
        Assert.All(expected, r => Assert.True(r is { Rounds: > 0, SilverRows: > 0, Quarantined: > 0, GoldRows: > 0 }, $"a zero figure in {r}"));
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// config/local.env itself with the addresses of this test's servers in place of the compose service names, so the test
    /// breaks if local mode grows a setting the demo needs that this file does not give.
    /// </summary>
    private async Task<string> WriteLocalEnvFileAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { MaxPoolSize = 20 }.ConnectionString;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TM_HOME"] = Path.Combine(_folder.Path, "home"),
            ["TM_POSTGRES"] = database,
            ["TM_S3_ENDPOINT"] = s3.Endpoint,
            ["TM_S3_ACCESS_KEY"] = s3.AccessKey,
            ["TM_S3_SECRET_KEY"] = s3.SecretKey,
        };
        var lines = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(TmlakeBuild.RepositoryRoot, "config", "local.env")))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = line.StartsWith('#') || equals < 0 ? null : line[..equals].Trim();
            if (key is not null && overrides.Remove(key, out var value)) lines.Add($"{key}={value}");
            // Bucket names get a suffix so a shared S3 endpoint (TM_TEST_S3_ENDPOINT) never mixes two runs' objects.
            else if (key is not null && key.StartsWith("TM_BUCKET_", StringComparison.Ordinal)) lines.Add($"{line.Trim()}-{suffix}");
            else lines.Add(line);
        }
        Assert.True(overrides.Count == 0, $"config/local.env no longer sets {string.Join(", ", overrides.Keys)}");
        Assert.Contains(lines, l => l.StartsWith("TM_INSTANCE_STORE=postgres", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("TM_OBJECT_STORE=s3", StringComparison.Ordinal));
        var path = Path.Combine(_folder.Path, "local.env");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
