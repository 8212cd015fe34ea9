using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Partitions;

public class DynamicPartitionsDefinitionTests
{
    private static readonly DynamicPartitionsDefinition Courses = new("courses", "course_id");

    [Fact]
    public async Task GetKeys_AreTheKeysTheInstanceKeepsUnderItsName()
    {
        var source = new FakePartitionKeySource().Add("courses", "erinhills", "pebble").Add("other", "nope");

        var keys = await Courses.GetKeysAsync(source, TimeProvider.System, CancellationToken.None);

        Assert.Equal(["erinhills", "pebble"], keys.Select(k => k.Value));
    }

    [Fact]
    public async Task GetKeys_AreEmpty_BeforeAnyKeyIsAdded()
    {
        Assert.Empty(await Courses.GetKeysAsync(new FakePartitionKeySource(), TimeProvider.System, CancellationToken.None));
    }

    [Theory]
    [InlineData("erinhills")]
    [InlineData("course_id=erinhills")]
    public void Parse_AcceptsAnyValue_SinceKeysAppearAtRunTime(string text)
    {
        Assert.Equal(new PartitionKey("erinhills"), Courses.Parse(text));
    }

    [Fact]
    public void Parse_RejectsAnotherDimension()
    {
        var error = Assert.Throws<FormatException>(() => Courses.Parse("ingest_date=2025-06-01"));

        Assert.Contains("does not name dimension 'course_id'", error.Message);
    }
}
