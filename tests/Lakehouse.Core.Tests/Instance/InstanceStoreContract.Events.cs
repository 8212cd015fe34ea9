using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Quality;

namespace Lakehouse.Core.Tests.Instance;

public abstract partial class InstanceStoreContract
{
    private static EventRecord Event(EventType type, string runId, StepKey? step, int second, string message = "") =>
        new(type, runId, At(second)) { Step = step, Message = message };

    [Fact]
    public async Task Query_FiltersByRunAssetPartitionTypesAndAfterId_WithLimitAndOrder()
    {
        var x1 = Step("silver/x", "p1");
        var x2 = Step("silver/x", "p2");
        var y1 = Step("gold/y", "p1");
        var ids = new List<long>
        {
            await Events.AppendAsync(Event(EventType.RunStarted, "r1", null, 1), None),
            await Events.AppendAsync(Event(EventType.StepStarted, "r1", x1, 2), None),
            await Events.AppendAsync(Event(EventType.Log, "r1", x1, 3, "hello") with { Level = "Warning" }, None),
            await Events.AppendAsync(Event(EventType.Materialization, "r1", x1, 4), None),
            await Events.AppendAsync(Event(EventType.StepStarted, "r2", x2, 5), None),
            await Events.AppendAsync(Event(EventType.StepStarted, "r2", y1, 6), None),
        };
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        async Task<long[]> Ids(EventQuery q) => (await Events.QueryAsync(q, None)).Select(e => e.Id).ToArray();
        Assert.Equal(ids, await Ids(new EventQuery()));
        Assert.Equal(ids[..4], await Ids(new EventQuery { RunId = "r1" }));
        Assert.Equal([ids[1], ids[2], ids[3], ids[4]], await Ids(new EventQuery { Asset = new AssetKey("silver/x") }));
        Assert.Equal([ids[1], ids[2], ids[3]], await Ids(new EventQuery { Asset = new AssetKey("silver/x"), Partition = new PartitionKey("p1") }));
        Assert.Equal([ids[1], ids[2], ids[3], ids[5]], await Ids(new EventQuery { Partition = new PartitionKey("p1") }));
        Assert.Equal([ids[1], ids[4], ids[5]], await Ids(new EventQuery { Types = [EventType.StepStarted] }));
        Assert.Equal([ids[0], ids[3]], await Ids(new EventQuery { Types = [EventType.RunStarted, EventType.Materialization] }));
        Assert.Equal([ids[4], ids[5]], await Ids(new EventQuery { AfterId = ids[3] }));
        Assert.Equal([ids[0], ids[1]], await Ids(new EventQuery { Limit = 2 }));
        Assert.Equal([ids[5], ids[4]], await Ids(new EventQuery { Descending = true, Limit = 2 }));

        var log = (await Events.QueryAsync(new EventQuery { Types = [EventType.Log] }, None)).Single();
        Assert.Equal((EventType.Log, "r1", x1, At(3), "Warning", "hello"), (log.Type, log.RunId, log.Step, log.Timestamp, log.Level, log.Message));
        Assert.Equal(new AssetKey("silver/x"), log.Asset);
    }

    [Fact]
    public async Task Append_KeepsTheLatestStatusOfEachPartition()
    {
        var p1 = Step("silver/x", "p1");
        var p2 = Step("silver/x", "p2");
        await Events.AppendAsync(Event(EventType.StepStarted, "r1", p1, 1), None);
        await Events.AppendAsync(Event(EventType.StepStarted, "r1", p2, 1), None);
        Assert.All(await Events.GetPartitionStatusesAsync(new AssetKey("silver/x"), None), s => Assert.Equal(MaterializationState.Running, s.State));

        var materialized = await Events.AppendAsync(Event(EventType.Materialization, "r1", p1, 2), None);
        await Events.AppendAsync(Event(EventType.StepFailed, "r1", p2, 3), None);

        var statuses = (await Events.GetPartitionStatusesAsync(new AssetKey("silver/x"), None)).ToDictionary(s => s.Partition!.Value);
        Assert.Equal((MaterializationState.Materialized, "r1", At(2), (long?)materialized, (DateTimeOffset?)At(2)),
            (statuses["p1"].State, statuses["p1"].RunId, statuses["p1"].UpdatedAt, statuses["p1"].LastMaterializationEventId, statuses["p1"].LastMaterializedAt));
        Assert.Equal((MaterializationState.Failed, (long?)null), (statuses["p2"].State, statuses["p2"].LastMaterializationEventId));

        // A later failed attempt keeps the pointer to the last good materialization.
        await Events.AppendAsync(Event(EventType.StepStarted, "r2", p1, 4), None);
        await Events.AppendAsync(Event(EventType.StepFailed, "r2", p1, 5), None);
        var p1Now = (await Events.GetPartitionStatusesAsync(new AssetKey("silver/x"), None)).Single(s => s.Partition == new PartitionKey("p1"));
        Assert.Equal((MaterializationState.Failed, "r2", At(5), (long?)materialized, (DateTimeOffset?)At(2)),
            (p1Now.State, p1Now.RunId, p1Now.UpdatedAt, p1Now.LastMaterializationEventId, p1Now.LastMaterializedAt));
    }

    [Fact]
    public async Task Append_OfLogAndOtherEvents_LeavesTheStatusAlone()
    {
        var step = Step("gold/y");
        var id = await Events.AppendAsync(Event(EventType.Materialization, "r1", step, 1), None);
        foreach (var type in new[] { EventType.Log, EventType.StepSucceeded, EventType.StepSkipped, EventType.StepRetry, EventType.CheckResult, EventType.RunFailed })
            await Events.AppendAsync(Event(type, "r2", step, 9), None);

        var status = Assert.Single(await Events.GetAllStatusesAsync(None));
        Assert.Equal((new AssetKey("gold/y"), (PartitionKey?)null, MaterializationState.Materialized, "r1", At(1), (long?)id),
            (status.Asset, status.Partition, status.State, status.RunId, status.UpdatedAt, status.LastMaterializationEventId));
    }

    [Fact]
    public async Task GetAllStatuses_ListsEveryAssetAndPartition()
    {
        await Events.AppendAsync(Event(EventType.Materialization, "r", Step("gold/y"), 1), None);
        await Events.AppendAsync(Event(EventType.Materialization, "r", Step("silver/x", "b"), 1), None);
        await Events.AppendAsync(Event(EventType.StepFailed, "r", Step("silver/x", "a"), 1), None);

        var all = await Events.GetAllStatusesAsync(None);

        Assert.Equal(["gold/y", "silver/x[a]", "silver/x[b]"], all.Select(s => new StepKey(s.Asset, s.Partition).ToString()));
        Assert.Empty(await Events.GetPartitionStatusesAsync(new AssetKey("bronze/none"), None));
    }

    [Fact]
    public async Task PartitionStatuses_KeepEachRowsOwnRunId_WhenNeighbouringRowsRepeatOrDifferBySameLengthIds()
    {
        // Readers may reuse the previous row's run id string, so ids of equal length that differ must still come apart.
        var runs = new[] { "ra", "ra", "rb", "ra", "run-long", "rb", "rb" };
        for (var i = 0; i < runs.Length; i++)
            await Events.AppendAsync(Event(EventType.Materialization, runs[i], Step("silver/x", $"p{i}-é"), i), None);
        await Events.AppendAsync(Event(EventType.StepStarted, "ra", Step("silver/y"), 9), None);

        var statuses = await Events.GetPartitionStatusesAsync(new AssetKey("silver/x"), None);
        Assert.Equal(runs.Select((_, i) => $"p{i}-é"), statuses.Select(s => s.Partition!.Value));
        Assert.Equal(runs, statuses.Select(s => s.RunId));

        var all = await Events.GetAllStatusesAsync(None);
        Assert.Equal(runs.Append("ra"), all.Select(s => s.RunId));
        Assert.Equal((new AssetKey("silver/y"), (PartitionKey?)null, MaterializationState.Running, (long?)null),
            (all[^1].Asset, all[^1].Partition, all[^1].State, all[^1].LastMaterializationEventId));
        Assert.Null(all[^1].LastMaterializedAt);
    }

    [Fact]
    public async Task StatusCounts_AreThePartitionStatusesGroupedByAssetAndState_WithTheLatestMaterialization()
    {
        var states = new[] { EventType.Materialization, EventType.StepFailed, EventType.StepStarted, EventType.Materialization, EventType.Materialization };
        for (var i = 0; i < 12; i++)
            await Events.AppendAsync(Event(states[i % states.Length], $"r{i % 3}", Step(i % 2 == 0 ? "silver/x" : "gold/y", $"p{i:00}"), 10 + (i * 7 % 5)), None);
        // A failure after a materialization keeps the materialization: the row counts failed but still carries its time and id.
        await Events.AppendAsync(Event(EventType.StepFailed, "r9", Step("silver/x", "p00"), 30), None);
        await Events.AppendAsync(Event(EventType.StepStarted, "r9", Step("maint/z"), 31), None);

        var all = await Events.GetAllStatusesAsync(None);
        var expected = all.GroupBy(s => s.Asset).OrderBy(g => g.Key.Value, StringComparer.Ordinal).Select(g => (
            g.Key,
            string.Join(",", g.GroupBy(s => s.State).OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Count()}")),
            g.Max(s => s.LastMaterializedAt),
            g.Max(s => s.LastMaterializationEventId))).ToList();
        var counts = await Events.GetStatusCountsAsync(null, None);

        Assert.Equal(3, counts.Count);
        Assert.Equal(expected, counts.Select(c => (c.Asset, string.Join(",", c.States.Select(s => $"{s.Key}={s.Value}")), c.LastMaterializedAt, c.LastMaterializationEventId)));
        Assert.Equal(all.Count, counts.Sum(c => c.Total));
        var x = Assert.Single(await Events.GetStatusCountsAsync(new AssetKey("silver/x"), None));
        Assert.Equal(counts.Single(c => c.Asset == new AssetKey("silver/x")).States, x.States);
        Assert.Equal(new Dictionary<MaterializationState, int> { [MaterializationState.Running] = 1 }, counts.Single(c => c.Asset == new AssetKey("maint/z")).States);
        Assert.Null(counts.Single(c => c.Asset == new AssetKey("maint/z")).LastMaterializationEventId);
        Assert.Empty(await Events.GetStatusCountsAsync(new AssetKey("bronze/none"), None));
    }

    [Fact]
    public async Task PartitionStatusPages_ReadEveryPartitionOnce_InTheFullReadsOrder()
    {
        string[] keys = ["b", "a-é", "a", "Z", "a/b", "é", "ab", "a~"];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            await Events.AppendAsync(Event(i % 3 == 0 ? EventType.StepFailed : EventType.Materialization, $"r{i}", Step("silver/x", key), i), None);
        await Events.AppendAsync(Event(EventType.Materialization, "other", Step("silver/other", "a"), 9), None);
        await Events.AppendAsync(Event(EventType.Materialization, "plain", Step("gold/plain"), 9), None);

        var full = await Events.GetPartitionStatusesAsync(new AssetKey("silver/x"), None);
        var paged = new List<AssetPartitionStatus>();
        PartitionKey? after = null;
        while (true)
        {
            var page = await Events.GetPartitionStatusPageAsync(new AssetKey("silver/x"), after, 3, None);
            Assert.InRange(page.Count, 0, 3);
            if (page.Count == 0) break;
            paged.AddRange(page);
            after = page[^1].Partition;
        }

        Assert.Equal(keys.Length, full.Count);
        Assert.Equal(full, paged);
        Assert.Equal(full.Take(2), await Events.GetPartitionStatusPageAsync(new AssetKey("silver/x"), null, 2, None));
        Assert.Equal((PartitionKey?)null, Assert.Single(await Events.GetPartitionStatusPageAsync(new AssetKey("gold/plain"), null, 10, None)).Partition);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Events.GetPartitionStatusPageAsync(new AssetKey("silver/x"), null, 0, None));
    }

    [Fact]
    public async Task PartitionStatuses_OfAHundredThousandPartitions_AreWrittenAndReadBack()
    {
        const int count = 100_000;
        var asset = "silver/wide";
        for (var start = 0; start < count; start += 10_000)
        {
            var batch = Enumerable.Range(start, 10_000)
                .Select(i => Event(EventType.Materialization, "bulk", Step(asset, $"k{i:D6}"), 1)).ToList();
            var ids = await Events.AppendBatchAsync(batch, None);
            Assert.Equal(batch.Count, ids.Count);
        }
        await Events.AppendAsync(Event(EventType.StepFailed, "bulk", Step(asset, "k054321"), 2), None);
        await Events.AppendAsync(Event(EventType.Materialization, "other", Step("gold/other", "k000000"), 2), None);

        var statuses = await Events.GetPartitionStatusesAsync(new AssetKey(asset), None);

        Assert.Equal(count, statuses.Count);
        Assert.Equal(count, statuses.Select(s => s.Partition!.Value).Distinct().Count());
        Assert.Equal("k000000", statuses[0].Partition!.Value);
        Assert.Equal("k099999", statuses[^1].Partition!.Value);
        Assert.Equal([MaterializationState.Failed], statuses.Where(s => s.State != MaterializationState.Materialized).Select(s => s.State));
        Assert.Equal("k054321", statuses.Single(s => s.State == MaterializationState.Failed).Partition!.Value);
        Assert.All(statuses, s => Assert.NotNull(s.LastMaterializationEventId));
        var counts = Assert.Single(await Events.GetStatusCountsAsync(new AssetKey(asset), None));
        Assert.Equal(new Dictionary<MaterializationState, int> { [MaterializationState.Materialized] = count - 1, [MaterializationState.Failed] = 1 }, counts.States);
        Assert.Equal(statuses.Max(s => s.LastMaterializationEventId), counts.LastMaterializationEventId);
        Assert.Equal(statuses.Skip(54_000).Take(500), await Events.GetPartitionStatusPageAsync(new AssetKey(asset), statuses[53_999].Partition, 500, None));
    }

    [Fact]
    public async Task Append_RoundTripsMetadataOfEveryKind_AndTheCheckResult()
    {
        var metadata = new Dictionary<string, MetadataValue>
        {
            ["rows"] = MetadataValue.Int(9_007_199_254_740_993),
            ["share"] = MetadataValue.Float(0.1),
            ["tiny"] = MetadataValue.Float(1.5e-300),
            ["note"] = MetadataValue.Text("héllo \"golf\"\n\t⛳"),
            ["stats"] = MetadataValue.Json(new { courses = new[] { "erinhills", "pebble" }, ok = true, none = (string?)null, n = 1.25 }),
            ["path"] = MetadataValue.Path("s3://lake/silver/x/data/00001.parquet"),
            ["schema"] = MetadataValue.TableSchema([new TableColumnInfo("course_id", "string", false), new TableColumnInfo("speed", "double", true)]),
            ["summary"] = MetadataValue.Markdown("# Silver\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        };
        Assert.Equal(Enum.GetValues<MetadataKind>().ToHashSet(), metadata.Values.Select(v => v.Kind).ToHashSet());
        var check = new AssetCheckResult("speed_in_range", false, AssetCheckSeverity.Warn, Blocking: false)
        {
            Description = "speed between 0 and 60 km/h",
            Metadata = new Dictionary<string, MetadataValue> { ["bad_rows"] = MetadataValue.Int(3), ["share"] = MetadataValue.Float(0.0003) },
        };
        var step = Step("silver/x", "p");
        await Events.AppendAsync(Event(EventType.Materialization, "r", step, 1) with { Metadata = metadata }, None);
        await Events.AppendAsync(Event(EventType.CheckResult, "r", step, 2) with { Check = check }, None);

        var read = await Events.QueryAsync(new EventQuery { RunId = "r" }, None);

        AssertSameMetadata(metadata, read[0].Metadata);
        Assert.Null(read[0].Check);
        Assert.Empty(read[1].Metadata);
        var back = read[1].Check!;
        Assert.Equal((check.CheckName, check.Passed, check.Severity, check.Blocking, check.Description),
            (back.CheckName, back.Passed, back.Severity, back.Blocking, back.Description));
        AssertSameMetadata(check.Metadata, back.Metadata);
        Assert.Equal("course_id string, speed double", read[0].Metadata["schema"].Display());
    }

    private static void AssertSameMetadata(IReadOnlyDictionary<string, MetadataValue> expected, IReadOnlyDictionary<string, MetadataValue> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value.Kind, actual[name].Kind);
            Assert.True(JsonElement.DeepEquals(value.Value, actual[name].Value), $"{name}: {value.Value.GetRawText()} != {actual[name].Value.GetRawText()}");
            Assert.Equal(value.Value.GetRawText(), actual[name].Value.GetRawText());
        }
    }
}
