using System.Text.Json;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 4 as a user checks it: after a demo every Silver and Gold table reads the same in icebird and DuckDB as in `tmlake preview`.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TableInteropTests(AmericanErinDemo demo) : IClassFixture<AmericanErinDemo>
{
    private TmlakeHome Home => demo.Home;

    private static readonly string[] TableAssets = DemoLake.Tables;

    public static TheoryData<string> Tables => new(TableAssets);

    [Fact]
    public async Task Tables_CoverEverySilverAndGoldAssetOfTheAssetsList()
    {
        var listed = (await Home.OkAsync("assets")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .Where(k => k.StartsWith("silver/", StringComparison.Ordinal) || k.StartsWith("gold/", StringComparison.Ordinal));
        Assert.Equal(listed.Order(StringComparer.Ordinal), TableAssets.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task CurrentSnapshot_ReadsTheSameInIcebirdAndDuckDb_AsInPreview(string asset)
    {
        var expected = await Home.CountAsync(asset);
        Assert.True(expected > 0, $"{asset} is empty after the demo, so this test would prove little");
        var layer = asset[..asset.IndexOf('/')];
        var name = asset[(asset.IndexOf('/') + 1)..];

        var files = await LakeReaders.CurrentFilesAsync(Home, $"{layer}.{name}");
        Assert.Equal(expected, await LakeReaders.DuckDbScalarAsync(files, "SELECT count(*) FROM t"));

        var rows = await LakeReaders.IcebirdRowsAsync(Path.Combine(Home.Bucket("tm-" + layer), name));
        Assert.Equal(expected, rows.Length);

        // Beyond the count: both engines see the same rounds per course (course-level aggregates have no round id: the
        // same rows per course instead).
        var column = rows[0].TryGetProperty("round_id", out _) ? "round_id" : null;
        if (column is null)
        {
            var duckRows = new List<string>();
            foreach (var course in demo.Courses)
                duckRows.Add($"{course}={await LakeReaders.DuckDbScalarAsync(files, $"SELECT count(*) FROM t WHERE course_id = '{course}'")}");
            Assert.Equal(duckRows, demo.Courses.Select(c => $"{c}={rows.Count(r => r.GetProperty("course_id").GetString() == c)}"));
            return;
        }
        var duckRounds = new List<string>();
        foreach (var course in demo.Courses)
            duckRounds.Add($"{course}={await LakeReaders.DuckDbScalarAsync(files, $"SELECT count(DISTINCT round_id) FROM t WHERE course_id = '{course}'")}");
        var icebirdRounds = demo.Courses.Select(c => $"{c}={rows.Where(r => r.GetProperty("course_id").GetString() == c).Select(r => r.GetProperty("round_id").GetString()).Distinct().Count()}");
        Assert.Equal(duckRounds, icebirdRounds);
    }
}
