using Dashboard.Tests.Support;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Assets;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Orchestrator.Execution;

namespace Dashboard.Tests.Browser;

/// <summary>
/// The golf definitions on a real dashboard in headless Chromium (as <see cref="DashboardBrowserTests"/>): once a course's
/// section polygons are in spatial/course_sections, a Silver run of that course shows fix_in_section on the asset page —
/// passed, with its counts — and fix_in_section_rate among the materialization's metadata.
/// </summary>
public sealed class FixInSectionBrowserTests
{
    private const string Partition = "course_id=erinhills,ingest_date=2025-06-01";

    [Fact]
    public async Task AfterSectionsAreIngested_TheSilverAssetPage_ShowsFixInSection_AndItsRate()
    {
        var shots = BrowserScript.Screenshots(nameof(AfterSectionsAreIngested_TheSilverAssetPage_ShowsFixInSection_AndItsRate));
        await using var server = await DashboardServer.StartAsync(Definitions.Code());
        var runtime = server.Runtime;
        var samples = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(server.Home, "samples"), Courses = ["erinhills"], RoundsPerCourse = 20, Seed = 5,
        });
        var landing = new BronzeLanding(runtime.Resources, runtime.Clock);
        foreach (var file in samples.Files) await landing.LandAsync(file.Path, "erinhills", new DateOnly(2025, 6, 1), "land-1");
        var sections = Assert.Single(samples.SectionFiles);
        await new VectorBatchIngest(runtime.Resources, new InProcessVectorEngine(), runtime.Clock).RunAsync(
            new SpatialBatch("s1", VectorRecipes.CourseSections, [new SpatialFile("s1/erinhills_sections.geojson", sections, "GeoJSON", null)]), "run-s", default);

        var runId = await runtime.Coordinator.LaunchAsync(
            new RunRequest($"{BronzeRoundsRawAsset.Key.Value},{SilverTelemetryAsset.Key.Value}") { Partitions = [Partition] }, CancellationToken.None);
        var run = await RunWatcher.WaitAsync(runtime.Instance.Runs, runId, null, TimeSpan.FromMilliseconds(50), new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        Assert.Equal(RunStatus.Succeeded, run.Status);

        var result = await BrowserScript.RunAsync("fix_in_section.mjs", server.BaseAddress.ToString(), shots, SilverTelemetryAsset.Key.Value);

        Assert.Equal(1, result.GetProperty("rows").GetInt32());
        Assert.Equal("passed", result.GetProperty("result").GetString());
        Assert.Equal(Partition, result.GetProperty("partition").GetString());
        Assert.Equal("54", result.GetProperty("sections").GetString());
        Assert.Equal("0", result.GetProperty("noPolygon").GetString());
        Assert.Equal("1", result.GetProperty("rate").GetString());
        foreach (var shot in new[] { "1-silver-overview.png", "2-silver-metadata.png" })
            Assert.True(new FileInfo(Path.Combine(shots, shot)) is { Exists: true, Length: > 1000 }, $"screenshot {shot} missing");
    }
}
