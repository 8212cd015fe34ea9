using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Partitions;
using Lakehouse.Core.Tests.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Lakehouse.Core.Tests.Execution;

/// <summary>The partition range syntax: '*', A..B over days, '|' lists, per dimension, against product and registered definitions.</summary>
public sealed class PartitionSpecTests
{
    private static readonly AssetKey Asset = new("silver/x");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly MultiPartitionsDefinition Product = new(
    [
        ("course_id", new StaticPartitionsDefinition("course_id", ["a", "b", "c"])),
        ("ingest_date", new DailyPartitionsDefinition("ingest_date", new DateOnly(2025, 6, 1))),
    ]);

    private static readonly MultiPartitionsDefinition Registered = new(
    [
        ("course_id", new DynamicPartitionsDefinition("courses", "course_id")),
        ("ingest_date", new DailyPartitionsDefinition("ingest_date", new DateOnly(2000, 1, 1))),
    ], "pairs");

    private static readonly FakePartitionKeySource Source = new FakePartitionKeySource()
        .Add("courses", "a", "b")
        .Add("pairs", "course_id=a,ingest_date=2025-06-01", "course_id=a,ingest_date=2025-06-02", "course_id=b,ingest_date=2025-06-02");

    private static async Task<List<string>> Expand(string text, PartitionsDefinition definition) =>
        (await PartitionSpec.Parse(text).ExpandAsync(Asset, definition, Source, Clock, CancellationToken.None)).Select(k => k.Value).ToList();

    [Fact]
    public async Task EveryCourse_ByADayRange_IsTheProduct_InKeyOrder()
    {
        var keys = await Expand("course_id=*,ingest_date=2025-06-01..2025-06-02", Product);

        Assert.Equal(["course_id=a,ingest_date=2025-06-01", "course_id=a,ingest_date=2025-06-02", "course_id=b,ingest_date=2025-06-01",
            "course_id=b,ingest_date=2025-06-02", "course_id=c,ingest_date=2025-06-01", "course_id=c,ingest_date=2025-06-02"], keys);
    }

    [Fact]
    public async Task AList_AndADimensionNotNamed_MeanThoseValues_AndEveryKnownValue()
    {
        Assert.Equal(["course_id=a,ingest_date=2025-06-03", "course_id=c,ingest_date=2025-06-03"], await Expand("ingest_date=2025-06-03,course_id=c|a", Product));
        Assert.Equal(31, (await Expand("course_id=b", Product)).Count); // 2025-06-01 to today, 2025-07-01
    }

    [Fact]
    public async Task OnARegisteredDefinition_TheRangePicksAmongThePairsThatLanded()
    {
        Assert.Equal(["course_id=a,ingest_date=2025-06-02", "course_id=b,ingest_date=2025-06-02"], await Expand("course_id=*,ingest_date=2025-06-02..2025-06-30", Registered));
        Assert.Equal(["course_id=a,ingest_date=2025-06-01", "course_id=a,ingest_date=2025-06-02"], await Expand("course_id=a", Registered));
    }

    [Fact]
    public async Task ASingleDimensionAsset_TakesABareRange_OrItsPartOfAWiderOne()
    {
        var days = new DailyPartitionsDefinition("ingest_date", new DateOnly(2025, 6, 1));
        Assert.Equal(["2025-06-29", "2025-06-30"], await Expand("2025-06-29..2025-06-30", days));
        Assert.Equal(["a", "b"], await Expand("course_id=*,ingest_date=2025-06-01..2025-06-30", new DynamicPartitionsDefinition("courses", "course_id")));
    }

    [Theory]
    [InlineData("course_id=*,ingest_date=2025-06-03..2025-06-01", "ends before it starts")]
    [InlineData("course_id=*,ingest_date=2025-06-01..2025-07-02", "is after today")]
    [InlineData("course_id=*,ingest_date=2025-05-30..2025-06-01", "before the first partition")]
    [InlineData("course_id=2025-06-01..2025-06-02", "A..B ranges are for date dimensions")]
    [InlineData("course_id=a|*", "'*' stands alone")]
    [InlineData("course_id=a||b", "an empty value")]
    [InlineData("course_id=d", "'d' is not a partition of dimension 'course_id'")]
    [InlineData("course_id=a/b|a", "cannot hold '/'")]
    [InlineData("colour=*", "names none of silver/x's dimensions")]
    [InlineData("course_id=*,course_id=a", "more than once")]
    [InlineData("*", "names no dimension")]
    public async Task BadRanges_AreRefused_SayingWhy(string text, string expected)
    {
        var refused = await Assert.ThrowsAsync<RunPlanException>(() => Expand(text, Product));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("course_id=*", true)]
    [InlineData("course_id=a|b", true)]
    [InlineData("ingest_date=2025-06-01..2025-06-02", true)]
    [InlineData("course_id=a,ingest_date=2025-06-01", false)]
    [InlineData("course_id=../../x,ingest_date=2025-06-01", false)]
    public void IsPattern_TellsARangeFromOneKey(string text, bool pattern) => Assert.Equal(pattern, PartitionSpec.IsPattern(text));
}
