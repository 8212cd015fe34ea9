using Lakehouse.Core.Assets;
using static Lakehouse.Core.Tests.Assets.Some;

namespace Lakehouse.Core.Tests.Assets;

public class AssetSelectionTests
{
    private static readonly AssetGraph Graph = AssetGraph.Build(
    [
        Asset("bronze/telemetry"),
        Asset("bronze/courses"),
        Asset("silver/fact_telemetry_event", "bronze/telemetry"),
        Asset("silver/dim_course", "bronze/courses"),
        Asset("silver/geo/hole_shapes", "bronze/courses"),
        Asset("gold/fact_rounds", "silver/fact_telemetry_event", "silver/dim_course"),
        Asset("gold/pace_of_play", "gold/fact_rounds"),
        Asset("gold/kpi", "silver/dim_course").InGroup("reporting"),
    ]);

    private static string[] Select(string selection) => Keys(AssetSelection.Parse(selection).Resolve(Graph));

    [Fact]
    public void Resolve_SelectsOneKey()
    {
        Assert.Equal(["silver/dim_course"], Select("silver/dim_course"));
    }

    [Fact]
    public void Resolve_GlobOnALayer_SelectsEveryKeyUnderIt_IncludingNestedOnes()
    {
        Assert.Equal(["silver/dim_course", "silver/fact_telemetry_event", "silver/geo/hole_shapes"], Select("silver/*"));
    }

    [Fact]
    public void Resolve_StarInsideAPart_StaysWithinThatPart()
    {
        Assert.Equal(["silver/fact_telemetry_event", "gold/fact_rounds"], Select("*/fact_*"));
        Assert.Equal(["silver/dim_course"], Select("silver/d*"));
    }

    [Fact]
    public void Resolve_LoneStar_SelectsEverything()
    {
        Assert.Equal(Keys(Graph.Assets), Select("*"));
    }

    [Fact]
    public void Resolve_Group_SelectsItsAssets_DefaultOrExplicit()
    {
        Assert.Equal(["gold/fact_rounds", "gold/pace_of_play"], Select("group:gold"));
        Assert.Equal(["gold/kpi"], Select("group:reporting"));
    }

    [Fact]
    public void Resolve_PlusBefore_AddsEverythingUpstream()
    {
        Assert.Equal(["bronze/courses", "bronze/telemetry", "silver/dim_course", "silver/fact_telemetry_event", "gold/fact_rounds"],
            Select("+gold/fact_rounds"));
    }

    [Fact]
    public void Resolve_PlusAfter_AddsEverythingDownstream()
    {
        Assert.Equal(["silver/dim_course", "gold/fact_rounds", "gold/kpi", "gold/pace_of_play"], Select("silver/dim_course+"));
    }

    [Fact]
    public void Resolve_PlusOnBothSides_AddsBothDirections()
    {
        Assert.Equal(["bronze/telemetry", "silver/fact_telemetry_event", "gold/fact_rounds", "gold/pace_of_play"],
            Select("+silver/fact_telemetry_event+"));
    }

    [Fact]
    public void Resolve_Commas_TakeTheUnion_InTopologicalOrder_WithoutDuplicates()
    {
        Assert.Equal(["bronze/courses", "silver/dim_course", "gold/pace_of_play"],
            Select("gold/pace_of_play,silver/dim_course, +silver/dim_course"));
    }

    [Fact]
    public void Parse_ToleratesWhitespace_AroundTermsAndPluses()
    {
        Assert.Equal(Select("+gold/kpi,group:gold"), Select("  + gold/kpi ,\tgroup: gold  "));
    }

    [Fact]
    public void Resolve_UnknownKey_NamesItAndSuggestsCloseKeys()
    {
        var error = Assert.Throws<AssetSelectionException>(() => Select("silver/fact_telemetry_evnt"));

        Assert.Contains("no asset 'silver/fact_telemetry_evnt'", error.Message);
        Assert.Contains("Did you mean silver/fact_telemetry_event?", error.Message);
    }

    [Fact]
    public void Resolve_KeyWithoutItsLayer_SuggestsTheFullKey()
    {
        var error = Assert.Throws<AssetSelectionException>(() => Select("fact_rounds"));

        Assert.Contains("Did you mean gold/fact_rounds?", error.Message);
    }

    [Fact]
    public void Resolve_UnknownGroup_ListsTheGroups()
    {
        var error = Assert.Throws<AssetSelectionException>(() => Select("group:gld"));

        Assert.Contains("no group 'gld' (groups: bronze, gold, reporting, silver)", error.Message);
        Assert.Contains("Did you mean gold?", error.Message);
    }

    [Fact]
    public void Resolve_GlobMatchingNothing_NamesThePatternAndSuggestsOne()
    {
        var error = Assert.Throws<AssetSelectionException>(() => Select("silvr/*"));

        Assert.Contains("pattern 'silvr/*' matches no asset", error.Message);
        Assert.Contains("silver/*", error.Message);
    }

    [Fact]
    public void Resolve_ReportsEveryBadTerm_AtOnce()
    {
        var error = Assert.Throws<AssetSelectionException>(() => Select("gold/nope, silver/dim_course, group:platinum"));

        Assert.Contains("'gold/nope'", error.Message);
        Assert.Contains("'platinum'", error.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("silver/a,,gold/b", "empty term")]
    [InlineData("silver/a,", "empty term")]
    [InlineData("+", "names no asset")]
    [InlineData("++silver/a", "single '+'")]
    [InlineData("silver/a++", "single '+'")]
    [InlineData("group:", "group:<name>")]
    [InlineData("silver//a", "not a valid asset key")]
    [InlineData("silver/a b", "not a valid asset key")]
    [InlineData("silver/*$", "pattern")]
    public void Parse_RejectsMalformedSelections_WithAReason(string selection, string reason)
    {
        var error = Assert.Throws<AssetSelectionException>(() => AssetSelection.Parse(selection));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ToString_GivesTheCanonicalForm()
    {
        Assert.Equal("+gold/kpi,group:gold+,silver/*", AssetSelection.Parse(" + gold/kpi , group:gold + ,silver/*").ToString());
    }
}
