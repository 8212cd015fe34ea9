using Lakehouse.Core.Assets;
using Lakehouse.Core.Config;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Execution;

public sealed class AssetInputsTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("tm-inputs-").FullName;
    private readonly LocalObjectStoreProvider _objects;
    private static readonly MultiPartitionsDefinition CourseByDay = new(
        [("course_id", new StaticPartitionsDefinition("course_id", ["c1", "c2"])), ("ingest_date", new StaticPartitionsDefinition("ingest_date", ["2025-06-01", "2025-06-02"]))]);
    private static readonly AssetSpec Raw = new(new AssetKey("bronze/raw")) { Partitions = CourseByDay, Storage = new ObjectFolderStorage(Layers.Bronze) };

    public AssetInputsTests() => _objects = new LocalObjectStoreProvider(new LakehouseOptions { Home = _home });

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task PutAsync(string key)
    {
        await using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key));
        await _objects.For(Layers.Bronze).PutAsync(key, body, null, CancellationToken.None);
    }

    [Fact]
    public void FolderOf_IsTheHiveStyleFolderOfThePartition()
    {
        var storage = new ObjectFolderStorage(Layers.Bronze);
        Assert.Equal("course_id=c1/ingest_date=2025-06-01/", storage.FolderOf(new PartitionKey("course_id=c1,ingest_date=2025-06-01")));
        Assert.Equal("erinhills/", storage.FolderOf(new PartitionKey("erinhills")));
        Assert.Equal("", storage.FolderOf(null));
    }

    [Fact]
    public async Task Objects_AreThoseOfTheReadPartitionsOnly_ThroughTheUpstreamsLayout()
    {
        await PutAsync("course_id=c1/ingest_date=2025-06-01/a.csv");
        await PutAsync("course_id=c1/ingest_date=2025-06-01/b.json");
        await PutAsync("course_id=c1/ingest_date=2025-06-02/other.csv");
        await PutAsync("course_id=c2/ingest_date=2025-06-01/c.csv");
        var inputs = new AssetInputs(_objects, [(Raw, [new PartitionKey("course_id=c1,ingest_date=2025-06-01"), new PartitionKey("course_id=c2,ingest_date=2025-06-01")])]);

        var files = await inputs.ObjectsAsync(Raw.Key, CancellationToken.None);

        Assert.Equal(["a.csv", "b.json", "c.csv"], files.Select(f => f.Name));
        Assert.Equal("course_id=c2,ingest_date=2025-06-01", files[2].Partition!.Value);
        Assert.Equal(_objects.For(Layers.Bronze).LocationOf("course_id=c1/ingest_date=2025-06-01/a.csv"), files[0].Location);
        await using var content = await files[1].OpenAsync(CancellationToken.None);
        Assert.Equal("course_id=c1/ingest_date=2025-06-01/b.json", await new StreamReader(content).ReadToEndAsync());
        Assert.Equal("tm-bronze/course_id=c1/ingest_date=2025-06-02/", inputs.LocationOf(Raw.Key, new PartitionKey("course_id=c1,ingest_date=2025-06-02")));
    }

    [Fact]
    public async Task Objects_OfAnAssetTheStepDoesNotRead_OrThatKeepsNoObjects_AreRefusedByName()
    {
        var tableLike = new AssetSpec(new AssetKey("silver/t")) { Partitions = CourseByDay };
        var inputs = new AssetInputs(_objects, [(Raw, []), (tableLike, [])]);

        var notRead = await Assert.ThrowsAsync<KeyNotFoundException>(() => inputs.ObjectsAsync(new AssetKey("gold/x"), CancellationToken.None));
        var noObjects = await Assert.ThrowsAsync<InvalidOperationException>(() => inputs.ObjectsAsync(tableLike.Key, CancellationToken.None));

        Assert.Contains("gold/x is not an upstream asset of this step (it reads bronze/raw, silver/t)", notRead.Message);
        Assert.Contains("silver/t does not keep its partitions as objects", noObjects.Message);
        Assert.Empty(await inputs.ObjectsAsync(Raw.Key, CancellationToken.None));
    }
}
