using System.Globalization;
using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Orchestrator.Tests.Support;
using Serilog;
using TestSupport;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Ledger;

namespace Orchestrator.Tests.Ledger;

/// <summary>
/// The ledger of a landed file on both deployments (SQLite + local folder, PostgreSQL + S3): one row with its origin, the object's
/// user metadata naming the row's id, and the same content landed again a no-op pointing at the same row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerLandingTests(PostgresServerFixture postgres, S3ServerFixture s3) : IClassFixture<S3ServerFixture>, IDisposable
{
    private static readonly DateOnly IngestDate = new(2025, 6, 1);
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Embedded_TheRowAndTheObjectLinkBothWays_AndLandingAgainIsANoOp() =>
        await LandAndCheckAsync(new LakehouseOptions { Home = _home.Path, Workers = 1 });

    [Fact]
    public async Task PostgresAndS3_TheRowAndTheObjectLinkBothWays_AndLandingAgainIsANoOp()
    {
        var options = s3.NewOptions() with
        {
            Home = _home.Path,
            Workers = 1,
            InstanceStore = StoreKind.Postgres,
            PostgresConnectionString = await postgres.CreateDatabaseAsync(),
        };
        await LandAndCheckAsync(options);
    }

    private async Task LandAndCheckAsync(LakehouseOptions options)
    {
        await using var runtime = await LakehouseRuntime.OpenAsync(options, Definitions.All(), RuntimeRole.ClientOnly, new LoggerConfiguration().CreateLogger());
        var export = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_home.Path, "exports"),
            Courses = ["erinhills"],
            RoundsPerCourse = 20,
            FilesPerCourse = 1,
            IngestDate = IngestDate,
        }).Files.Single();
        var origin = new LandingOrigin("b1", "ops", "ingest_rounds", """{"project":"ALPHA"}""");
        var landing = new BronzeLanding(runtime.Resources, runtime.Clock) { Origin = origin };

        var landed = await landing.LandAsync(export.Path, "erinhills", IngestDate, "run-1");

        var row = await runtime.Instance.Ledger.GetAsync(landed.Entry.Id, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal((Layers.Bronze, $"course_id=erinhills/ingest_date=2025-06-01/{Path.GetFileName(export.Path)}", "b1", "ops", "ingest_rounds", "run-1"),
            (row.Layer, row.Key, row.BatchId, row.Uploader, row.Intent, row.RunId));
        Assert.Equal((new FileInfo(export.Path).Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(export.Path)))), (row.Size, row.Sha256));
        Assert.Equal(export.Path.EndsWith(".json", StringComparison.Ordinal) ? LedgerFormats.Json : LedgerFormats.Csv, row.Format);
        Assert.Equal("""{"project":"ALPHA"}""", row.Metadata);

        var info = await runtime.Resources.Objects.For(Layers.Bronze).StatAsync(row.Key, CancellationToken.None);
        Assert.NotNull(info);
        Assert.Equal(row.Id.ToString(CultureInfo.InvariantCulture), info.Metadata[LedgerObjectMetadata.LedgerId]);
        Assert.Equal(row.Sha256, info.Metadata[LedgerObjectMetadata.Sha256]);
        Assert.Equal(LedgerObjectCheck.InPlace, await LedgerObjectCheck.CheckAsync(runtime.Resources.Objects, row, CancellationToken.None));

        var again = await new BronzeLanding(runtime.Resources, runtime.Clock) { Origin = origin with { BatchId = "b2" } }
            .LandAsync(export.Path, "erinhills", IngestDate, "run-2");
        Assert.True(again.AlreadyLanded);
        Assert.Equal(row.Id, again.Entry.Id);
        Assert.Equal([row.Id], (await runtime.Instance.Ledger.QueryAsync(new LedgerQuery(), CancellationToken.None)).Select(e => e.Id));
        Assert.Empty(await runtime.Instance.Ledger.QueryAsync(new LedgerQuery { BatchId = "b2" }, CancellationToken.None));

        // The object gone, the row no longer stands for it.
        await runtime.Resources.Objects.For(Layers.Bronze).DeleteAsync(row.Key, CancellationToken.None);
        Assert.Equal(LedgerObjectCheck.Missing, await LedgerObjectCheck.CheckAsync(runtime.Resources.Objects, row, CancellationToken.None));
    }
}
