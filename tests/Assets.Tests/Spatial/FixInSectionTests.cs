using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tables.Catalog;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Assets.Spatial;
using TmLakehouse.Assets.Spatial.Output;
using TmLakehouse.Assets.Spatial.Recipes;
using TmLakehouse.Assets.Tests.Fakes;

namespace Assets.Tests.Spatial;

/// <summary>
/// The sample generator's section polygons, landed with intent course_sections, fill spatial/course_sections; the next
/// Silver run of the course reports fix_in_section (non-blocking) with its rate in the asset's metadata. A section moved
/// away puts its fixes outside; a course without sections gets no such check.
/// </summary>
public sealed class FixInSectionTests : IDisposable
{
    private readonly TestLake _lake = new(catalog: lake => TableCatalogs.Sqlite(Path.Combine(lake.Home, "catalog.db"), lake.Objects, TimeProvider.System));
    private readonly SampleDataManifest _samples;

    public FixInSectionTests() =>
        _samples = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = Path.Combine(_lake.Home, "samples"), Courses = ["erinhills"], RoundsPerCourse = 20, Seed = 5,
        });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _lake.Dispose();
    }

    private Task LandSectionsAsync(string path) =>
        new VectorBatchIngest(_lake.Resources, new InProcessVectorEngine(), _lake.Clock).RunAsync(
            new SpatialBatch("s1", VectorRecipes.CourseSections, [new SpatialFile("s1/erinhills_sections.geojson", path, "GeoJSON", null)]), "run-s", default);

    private async Task<MaterializeResult> RunSilverAsync()
    {
        foreach (var file in _samples.Files)
            await _lake.Bronze.PutFileAsync($"course_id=erinhills/ingest_date=2025-06-01/{file.FileName}", file.Path, null, default);
        var partition = new PartitionKey("course_id=erinhills,ingest_date=2025-06-01");
        return await new SilverTelemetryAsset().MaterializeAsync(new AssetExecutionContext
        {
            RunId = "run-silver",
            AssetKey = SilverTelemetryAsset.Key,
            AssetKeys = SilverTelemetryAsset.Definition.Keys,
            Partition = partition,
            Inputs = new AssetInputs(_lake.Objects, [(BronzeRoundsRawAsset.Definition.Spec, [partition])]),
            Log = Serilog.Core.Logger.None,
            Clock = _lake.Clock,
            Resources = _lake.Resources,
        }, default);
    }

    [Fact]
    public async Task TheGeneratorsSections_HoldEveryWrittenFix()
    {
        var sections = Assert.Single(_samples.SectionFiles);
        await LandSectionsAsync(sections);

        var result = await RunSilverAsync();

        var check = Assert.Single(result.CheckResults, c => c.CheckName == SilverTelemetryAsset.FixInSectionCheck);
        Assert.True(check.Passed, check.Description);
        Assert.False(check.Blocking);
        Assert.Equal(1.0, result.Metadata["fix_in_section_rate"].Value.GetDouble());
        Assert.Equal(54, check.Metadata["sections"].Value.GetInt64());
        Assert.Equal(0, check.Metadata["no_polygon"].Value.GetInt64());
        var table = (await _lake.Catalog.LoadAsync(SpatialTables.CourseSections.Id, default))!;
        Assert.Equal(54, (await table.FilesAsync(null, default)).Sum(f => f.RecordCount));
    }

    [Fact]
    public async Task ASectionMovedAway_CountsItsFixesOutside_AndAMissingOneApart()
    {
        var text = await File.ReadAllTextAsync(Assert.Single(_samples.SectionFiles));
        // Hole 1's first section shifted 0.1° east; hole 18's last section dropped.
        var json = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        var features = json["features"]!.AsArray();
        foreach (var point in features[0]!["geometry"]!["coordinates"]![0]!.AsArray()) point![0] = point[0]!.GetValue<double>() + 0.1;
        features.RemoveAt(features.Count - 1);
        var edited = Path.Combine(_lake.Home, "edited_sections.geojson");
        await File.WriteAllTextAsync(edited, json.ToJsonString());
        await LandSectionsAsync(edited);

        var result = await RunSilverAsync();

        var check = Assert.Single(result.CheckResults, c => c.CheckName == SilverTelemetryAsset.FixInSectionCheck);
        Assert.False(check.Passed);
        Assert.True(check.Metadata["outside"].Value.GetInt64() > 0);
        Assert.True(check.Metadata["no_polygon"].Value.GetInt64() > 0);
        Assert.InRange(result.Metadata["fix_in_section_rate"].Value.GetDouble(), 0.9, 0.999);
    }

    [Fact]
    public async Task ACourseWithoutSections_GetsNoFixInSectionCheck()
    {
        var result = await RunSilverAsync();

        Assert.DoesNotContain(result.CheckResults, c => c.CheckName == SilverTelemetryAsset.FixInSectionCheck);
        Assert.False(result.Metadata.ContainsKey("fix_in_section_rate"));
    }
}
