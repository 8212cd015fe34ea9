using System.Security.Cryptography;
using System.Text.Json;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Bronze;

public sealed class BronzeRoundsRawAssetTests : IDisposable
{
    private const string Partition = "course_id=erinhills,ingest_date=2025-06-01";
    private static readonly DateOnly IngestDate = new(2025, 6, 1);
    private readonly TestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private async Task<string> LandAsync(string name, int rounds)
    {
        var lines = Enumerable.Range(1, rounds).Select(i => $"{name}-{i},erinhills,0");
        var file = _lake.WriteFile(name, "_id,course,locations[0].startTime\n" + string.Join('\n', lines) + "\n");
        await new BronzeLanding(_lake.Resources, _lake.Clock).LandAsync(file, "erinhills", IngestDate, "land-1");
        return file;
    }

    [Fact]
    public async Task Materialize_ReportsTheLandedFiles_WhenTheyAreIntact()
    {
        var a = await LandAsync("a.csv", 2);
        var b = await LandAsync("b.csv", 5);

        var result = await new BronzeRoundsRawAsset().MaterializeAsync(_lake.Context(BronzeRoundsRawAsset.Key, Partition), CancellationToken.None);

        Assert.Equal(2, result.Metadata["files"].Value.GetInt64());
        Assert.Equal(new FileInfo(a).Length + new FileInfo(b).Length, result.Metadata["bytes"].Value.GetInt64());
        Assert.Equal(7, result.Metadata["rows"].Value.GetInt64());
        var hashes = result.Metadata["sha256"].Value.EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([Sha(a), Sha(b)], hashes);
        var ids = result.Metadata["ledger_ids"].Value.EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(_lake.Ledger.Entries.Select(e => e.Id).Order(), ids.Order());
    }

    [Fact]
    public async Task Materialize_FailsWithAQuarantineReport_WhenALandedFileWasAltered()
    {
        await LandAsync("a.csv", 2);
        var key = "course_id=erinhills/ingest_date=2025-06-01/a.csv";
        var path = ((LocalObjectStore)_lake.Bronze).PathOf(key);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] = (byte)'9';
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() =>
            new BronzeRoundsRawAsset().MaterializeAsync(_lake.Context(BronzeRoundsRawAsset.Key, Partition, "run-3"), CancellationToken.None));

        Assert.Equal("hash_mismatch", error.Reason);
        Assert.Contains(_lake.Bronze.LocationOf(key), error.Message);
        var report = await new QuarantineWriter(_lake.Objects).ReadAsync(error.ReportKey!, CancellationToken.None);
        Assert.Equal(1, report.ReasonCounts["hash_mismatch"]);
        Assert.Equal("run-3", report.RunId);
    }

    [Fact]
    public async Task Materialize_Fails_WhenALandedFileIsMissing()
    {
        await LandAsync("a.csv", 2);
        await LandAsync("b.csv", 2);
        await _lake.Bronze.DeleteAsync("course_id=erinhills/ingest_date=2025-06-01/b.csv", CancellationToken.None);

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() =>
            new BronzeRoundsRawAsset().MaterializeAsync(_lake.Context(BronzeRoundsRawAsset.Key, Partition), CancellationToken.None));

        Assert.Equal("missing_object", error.Reason);
        Assert.Contains("b.csv", error.Message);
    }

    [Fact]
    public async Task Materialize_Fails_WhenAnObjectNoLongerCarriesItsLedgerId()
    {
        var file = await LandAsync("a.csv", 2);
        await _lake.Bronze.PutFileAsync("course_id=erinhills/ingest_date=2025-06-01/a.csv", file, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() =>
            new BronzeRoundsRawAsset().MaterializeAsync(_lake.Context(BronzeRoundsRawAsset.Key, Partition), CancellationToken.None));

        Assert.Equal("ledger_mismatch", error.Reason);
    }

    [Fact]
    public async Task Materialize_Fails_WhenNothingLandedForThePartition()
    {
        var error = await Assert.ThrowsAsync<BronzeCheckException>(() =>
            new BronzeRoundsRawAsset().MaterializeAsync(_lake.Context(BronzeRoundsRawAsset.Key, Partition), CancellationToken.None));

        Assert.Equal("nothing_landed", error.Reason);
        Assert.Contains(Partition, error.Message);
    }

    [Fact]
    public void Definition_IsPartitionedByCourseAndIngestDate()
    {
        var partitions = BronzeRoundsRawAsset.Definition.Spec.Partitions!;
        Assert.Equal(["course_id", "ingest_date"], partitions.DimensionNames);
        Assert.Equal(Partition, partitions.Parse("ingest_date=2025-06-01,course_id=erinhills").Value);
        Assert.Throws<FormatException>(() => partitions.Parse("course_id=erinhills,ingest_date=June"));
    }

    private static string Sha(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
