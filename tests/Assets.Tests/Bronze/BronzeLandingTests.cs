using System.Security.Cryptography;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Bronze;

public sealed class BronzeLandingTests : IDisposable
{
    private static readonly DateOnly IngestDate = new(2025, 6, 1);

    // Quoted fields hold commas, doubled quotes and line breaks: three rounds on seven lines.
    private const string Csv =
        "_id,course,startTime,captureLogs,locations[0].startTime,locations[0].hole\r\n" +
        "r1,erinhills,2024-11-01T12:30:52.000Z,\"[{\"\"msg\"\":\"\"a,b\"\"}]\",0,1\r\n" +
        "r2,erinhills,2024-11-01T12:40:00.000Z,\"line one\nline two\nline three\",0,1\r\n" +
        "r3,erinhills,2024-11-01T12:50:00.000Z,,0,10\r\n";

    private readonly TestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private BronzeLanding Landing => new(_lake.Resources, _lake.Clock);

    [Fact]
    public async Task Land_CopiesTheFileByteForByte_UnderCourseAndIngestDate()
    {
        var file = _lake.WriteFile("rounds_2025-06.csv", Csv);

        var result = await Landing.LandAsync(file, "erinhills", IngestDate, "run-7");

        Assert.False(result.AlreadyLanded);
        Assert.Equal("course_id=erinhills/ingest_date=2025-06-01/rounds_2025-06.csv", result.Entry.Key);
        Assert.Equal(["course_id=erinhills/ingest_date=2025-06-01/rounds_2025-06.csv"], await _lake.KeysAsync(_lake.Bronze));
        await using (var landed = await _lake.Bronze.OpenReadAsync(result.Entry.Key, CancellationToken.None))
        using (var copy = new MemoryStream())
        {
            await landed.CopyToAsync(copy);
            Assert.Equal(await File.ReadAllBytesAsync(file), copy.ToArray());
        }
        Assert.Equal(result.Entry.Key, new Uri(result.Location).AbsolutePath.Split("/tm-bronze/")[1]);
    }

    [Fact]
    public async Task Land_WritesTheLedgerRow_AndPutsItsIdInTheObjectMetadata()
    {
        var file = _lake.WriteFile("rounds.csv", Csv);

        var result = await Landing.LandAsync(file, "erinhills", IngestDate, "run-7");

        var entry = Assert.Single(_lake.Ledger.Entries);
        Assert.Equal(result.Entry, entry);
        Assert.Equal("course_id=erinhills,ingest_date=2025-06-01", entry.Partition);
        Assert.Equal(new FileInfo(file).Length, entry.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), entry.Sha256);
        Assert.Equal("run-7", entry.RunId);
        Assert.Equal(3, entry.RowCount);
        Assert.Equal(_lake.Clock.GetUtcNow(), entry.LandedAt);
        var info = await _lake.Bronze.StatAsync(entry.Key, CancellationToken.None);
        Assert.Equal(entry.Id.ToString(), info!.Metadata[BronzeObjectMetadata.LedgerId]);
        Assert.Equal(entry.Sha256, info.Metadata[BronzeObjectMetadata.Sha256]);
    }

    [Fact]
    public async Task Land_RegistersThePartitionAndTheCourse()
    {
        await Landing.LandAsync(_lake.WriteFile("rounds.csv", Csv), "erinhills", IngestDate, "run-7");

        Assert.Equal(["course_id=erinhills,ingest_date=2025-06-01"],
            await _lake.Partitions.GetDynamicPartitionKeysAsync(BronzePartitions.Name, CancellationToken.None));
        Assert.Equal(["erinhills"], await _lake.Partitions.GetDynamicPartitionKeysAsync(BronzePartitions.CoursesName, CancellationToken.None));
        var keys = await BronzePartitions.CourseByIngestDate.GetKeysAsync(_lake.Partitions, _lake.Clock, CancellationToken.None);
        Assert.Equal("erinhills", Assert.Single(keys).Get("course_id"));
    }

    [Fact]
    public async Task Land_IsANoOp_WhenTheSameContentLandsTwice()
    {
        var first = await Landing.LandAsync(_lake.WriteFile("rounds.csv", Csv), "erinhills", IngestDate, "run-1");
        var again = await Landing.LandAsync(_lake.WriteFile("copy-of-rounds.csv", Csv), "erinhills", IngestDate, "run-2");

        Assert.True(again.AlreadyLanded);
        Assert.Equal(first.Entry, again.Entry);
        Assert.Contains("No-op", again.Message);
        Assert.Single(_lake.Ledger.Entries);
        Assert.Single(await _lake.KeysAsync(_lake.Bronze));
    }

    [Fact]
    public async Task Land_LandsAgain_WhenTheSameContentArrivesForAnotherIngestDate()
    {
        var file = _lake.WriteFile("rounds.csv", Csv);
        await Landing.LandAsync(file, "erinhills", IngestDate, "run-1");

        var other = await Landing.LandAsync(file, "erinhills", IngestDate.AddDays(1), "run-2");

        Assert.False(other.AlreadyLanded);
        Assert.Equal(2, _lake.Ledger.Entries.Count);
        Assert.Equal("course_id=erinhills/ingest_date=2025-06-02/rounds.csv", other.Entry.Key);
    }

    [Fact]
    public async Task Land_ReadsTheHeader_WhenTheFileStartsWithAByteOrderMark()
    {
        var file = Path.Combine(_lake.Home, "bom.csv");
        await File.WriteAllTextAsync(file, Csv, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = await Landing.LandAsync(file, "erinhills", IngestDate, "run-1");

        Assert.Equal(3, result.Entry.RowCount);
        Assert.Equal(new FileInfo(file).Length, result.Entry.Size);
    }

    [Fact]
    public async Task Land_CountsJsonRounds_OfAMongoExport()
    {
        var file = _lake.WriteFile("rounds.json", """
            [
              {"_id": {"$oid": "a1"}, "course": "erinhills", "startTime": {"$date": "2024-11-01T12:30:52.000Z"}, "locations": [{"hole": 1}]},
              {"_id": {"$oid": "a2"}, "course": "erinhills", "locations": []},
              {"_id": {"$oid": "a3"}, "course": "erinhills", "locations": [{"hole": 1, "note": "[,]\n"}]}
            ]
            """);

        var result = await Landing.LandAsync(file, "erinhills", IngestDate, "run-1");

        Assert.Equal(3, result.Entry.RowCount);
        Assert.Equal("course_id=erinhills/ingest_date=2025-06-01/rounds.json", result.Entry.Key);
    }

    public static TheoryData<string, string, string, string> BadFiles => new()
    {
        { "empty.csv", "", "empty_file", "empty" },
        { "header-only.csv", "_id,course,locations[0].startTime\r\n", "no_data_rows", "line 2" },
        { "no-id.csv", "id,course,locations[0].startTime\nr1,erinhills,0\n", "missing_column", "line 1: the header lacks column(s) _id" },
        { "no-start.csv", "_id,course\nr1,erinhills\n", "missing_column", "locations[0].startTime" },
        { "open-quote.csv", "_id,course,locations[0].startTime\nr1,\"erinhills,0\nr2,erinhills,0\n", "malformed_csv", "line 2, column 2 (course)" },
        { "object.json", """{"_id": "r1", "course": "erinhills", "locations": []}""", "not_json_array", "line 1" },
        { "empty-array.json", "[ ]", "no_data_rows", "no round" },
        { "no-locations.json", """[{"_id": "r1", "course": "erinhills"}]""", "missing_column", "element 1: the first round lacks locations" },
        { "number.json", "[42]", "not_a_round", "element 1: a round must be a JSON object, found Number" },
        { "truncated.json", "[{\"_id\": \"r1\", \"course\": \"erinhills\", \"locations\": []},\n {\"_id\": \"r2\", \"cour", "malformed_json", "line 2, byte 21: malformed JSON after 1 round(s) (Expected end of string" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Land_WritesAQuarantineReportAndThrows_WhenACheapCheckFails(string name, string content, string reason, string where)
    {
        var file = _lake.WriteFile(name, content);

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() => Landing.LandAsync(file, "erinhills", IngestDate, "run-9"));

        Assert.StartsWith(file, error.Message);
        Assert.Contains(where, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("bronze/course_id=erinhills/ingest_date=2025-06-01/run_id=run-9/report.json", error.ReportKey);
        var report = await new QuarantineWriter(_lake.Objects).ReadAsync(error.ReportKey!, CancellationToken.None);
        Assert.Equal("bronze", report.Layer);
        Assert.Equal("bronze/rounds_raw", report.Asset);
        Assert.Equal("bronze/rounds_raw[course_id=erinhills,ingest_date=2025-06-01]", report.Step);
        Assert.True(report.StepFailed);
        Assert.Equal(error.Message, report.Error);
        Assert.Equal([file], report.InputPaths);
        Assert.Equal(1, report.ReasonCounts[reason]);
        Assert.Empty(await _lake.KeysAsync(_lake.Bronze));
        Assert.Empty(_lake.Ledger.Entries);
        Assert.Empty(await _lake.Partitions.GetDynamicPartitionKeysAsync(BronzePartitions.Name, CancellationToken.None));
    }

    [Fact]
    public async Task Land_WritesAQuarantineReport_WhenTheFileDoesNotExist()
    {
        var missing = Path.Combine(_lake.Home, "nowhere.csv");

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() => Landing.LandAsync(missing, "erinhills", IngestDate, "run-9"));

        Assert.Equal("unreadable", error.Reason);
        Assert.StartsWith(missing, error.Message);
        Assert.Single(await new QuarantineWriter(_lake.Objects).ListReportKeysAsync("bronze/", CancellationToken.None));
    }

    [Fact]
    public async Task Land_RemovesTheLedgerRow_WhenThePutFails()
    {
        using var lake = new TestLake(new FailingPutProvider());
        var landing = new BronzeLanding(lake.Resources, lake.Clock);

        await Assert.ThrowsAsync<IOException>(() => landing.LandAsync(lake.WriteFile("rounds.csv", Csv), "erinhills", IngestDate, "run-1"));

        Assert.Empty(lake.Ledger.Entries);
        Assert.Empty(await lake.Partitions.GetDynamicPartitionKeysAsync(BronzePartitions.Name, CancellationToken.None));
    }

    [Fact]
    public async Task Land_LandsNothing_WhenTheFileChangesWhileItIsCopied()
    {
        using var lake = new TestLake();
        var growing = new GrowingFileProvider(lake.Objects);
        using var racing = new TestLake(growing);
        var file = racing.WriteFile("rounds.csv", Csv);
        growing.FileToGrow = file;

        var error = await Assert.ThrowsAsync<IOException>(() =>
            new BronzeLanding(racing.Resources, racing.Clock).LandAsync(file, "erinhills", IngestDate, "run-1"));

        Assert.Contains("changed while it was landing", error.Message);
        Assert.Empty(racing.Ledger.Entries);
        Assert.Empty(await racing.KeysAsync(racing.Bronze));
    }

    [Fact]
    public async Task Land_LandsAgain_WhenTheLedgerRowsObjectIsGone()
    {
        var file = _lake.WriteFile("rounds.csv", Csv);
        var first = await Landing.LandAsync(file, "erinhills", IngestDate, "run-1");
        await _lake.Bronze.DeleteAsync(first.Entry.Key, CancellationToken.None);

        var again = await Landing.LandAsync(file, "erinhills", IngestDate, "run-2");

        Assert.False(again.AlreadyLanded);
        var entry = Assert.Single(_lake.Ledger.Entries);
        Assert.Equal("run-2", entry.RunId);
        var info = await _lake.Bronze.StatAsync(entry.Key, CancellationToken.None);
        Assert.Equal(entry.Id.ToString(), info!.Metadata[BronzeObjectMetadata.LedgerId]);
    }

    [Fact]
    public async Task Land_Refuses_ADifferentFileUnderANameAlreadyLanded()
    {
        await Landing.LandAsync(_lake.WriteFile("a/rounds.csv", Csv), "erinhills", IngestDate, "run-1");
        var corrected = _lake.WriteFile("b/rounds.csv", Csv + "r4,erinhills,2024-11-01T13:00:00.000Z,,0,1\r\n");

        var error = await Assert.ThrowsAsync<BronzeCheckException>(() => Landing.LandAsync(corrected, "erinhills", IngestDate, "run-2"));

        Assert.Equal("name_taken", error.Reason);
        Assert.StartsWith(corrected, error.Message);
        Assert.Equal(3, Assert.Single(_lake.Ledger.Entries).RowCount);
    }

    [Theory]
    [InlineData("erin/hills")]
    [InlineData("course_id=x")]
    [InlineData("")]
    public async Task Land_RejectsACourseIdThatCannotBeAKey(string courseId)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Landing.LandAsync(_lake.WriteFile("rounds.csv", Csv), courseId, IngestDate, "run-1"));
        Assert.Contains("course id", error.Message);
    }

    /// <summary>Local buckets where another writer appends to the source file while it is being copied.</summary>
    private sealed class GrowingFileProvider(IObjectStoreProvider inner) : IObjectStoreProvider
    {
        public string? FileToGrow { get; set; }
        public IObjectStore For(string layer) => layer == Layers.Bronze ? new GrowingFileStore(inner.For(layer), this) : inner.For(layer);
        public LocalStaging Staging => inner.Staging;
    }

    private sealed class GrowingFileStore(IObjectStore inner, GrowingFileProvider provider) : IObjectStore
    {
        public string Bucket => inner.Bucket;
        public string LocationOf(string key) => inner.LocationOf(key);
        public Task PutAsync(string key, Stream content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
            inner.PutAsync(key, content, metadata, cancellationToken);
        public async Task PutFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
        {
            await inner.PutFileAsync(key, localPath, metadata, cancellationToken);
            await File.AppendAllTextAsync(provider.FileToGrow!, "r4,erinhills,2024-11-01T13:00:00.000Z,,0,1\r\n", cancellationToken);
        }
        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);
        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => inner.StatAsync(key, cancellationToken);
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
    }

    /// <summary>Buckets whose bronze puts fail, as a full disk or a dropped connection would.</summary>
    private sealed class FailingPutProvider : IObjectStoreProvider
    {
        public IObjectStore For(string layer) => new FailingPutStore(layer);
        public LocalStaging Staging { get; } = new(Path.Combine(Path.GetTempPath(), "tm-failing-put-staging"));
    }

    private sealed class FailingPutStore(string layer) : IObjectStore
    {
        public string Bucket => layer;
        public string LocationOf(string key) => $"failing://{layer}/{key}";
        public Task PutAsync(string key, Stream content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
            throw new IOException($"No space left for {key}.");
        public Task PutFileAsync(string key, string localPath, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
            throw new IOException($"No space left for {key}.");
        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => throw new ObjectNotFoundException(LocationOf(key));
        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => Task.FromResult<ObjectInfo?>(null);
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => AsyncEnumerable.Empty<ObjectInfo>();
        public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
