using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Partitions;

public class PartitionMappingTests
{
    private static readonly PartitionKey[] CourseDays =
    [
        new("course_id=erinhills,ingest_date=2025-06-01"),
        new("course_id=erinhills,ingest_date=2025-06-02"),
        new("course_id=pebble,ingest_date=2025-06-01"),
    ];

    [Fact]
    public void Identity_MapsAKeyToItself()
    {
        Assert.Equal([CourseDays[1]], new IdentityPartitionMapping().UpstreamKeys(CourseDays[1], CourseDays));
    }

    [Fact]
    public void Identity_MapsAnUnpartitionedDownstreamToEveryUpstreamKey()
    {
        Assert.Equal(CourseDays, new IdentityPartitionMapping().UpstreamKeys(null, CourseDays));
    }

    [Fact]
    public void All_MapsAnyKeyToEveryUpstreamKey()
    {
        Assert.Equal(CourseDays, new AllPartitionMapping().UpstreamKeys(new PartitionKey("erinhills"), CourseDays));
        Assert.Equal(CourseDays, new AllPartitionMapping().UpstreamKeys(null, CourseDays));
    }

    [Fact]
    public void Dimension_MapsACourseToEveryDayOfThatCourse()
    {
        var mapped = new DimensionPartitionMapping("course_id").UpstreamKeys(new PartitionKey("erinhills"), CourseDays);

        Assert.Equal([CourseDays[0], CourseDays[1]], mapped);
    }

    [Fact]
    public void Dimension_MapsAMultiKeyToTheSingleDimensionKeyWithItsValue()
    {
        PartitionKey[] courses = [new("erinhills"), new("pebble")];

        var mapped = new DimensionPartitionMapping("course_id").UpstreamKeys(CourseDays[2], courses);

        Assert.Equal([new PartitionKey("pebble")], mapped);
    }

    [Fact]
    public void Dimension_MapsAValueWithNoUpstreamPartitionToNothing()
    {
        Assert.Empty(new DimensionPartitionMapping("course_id").UpstreamKeys(new PartitionKey("augusta"), CourseDays));
    }
}
