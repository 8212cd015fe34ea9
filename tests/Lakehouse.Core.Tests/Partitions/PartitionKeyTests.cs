using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Partitions;

public class PartitionKeyTests
{
    [Fact]
    public void Dimensions_AreEmpty_ForABareValue()
    {
        var key = new PartitionKey("erinhills");

        Assert.Empty(key.Dimensions);
        Assert.Equal("erinhills", key.Get("course_id"));
    }

    [Fact]
    public void Dimensions_ReadEachPair()
    {
        var key = new PartitionKey("course_id=erinhills,ingest_date=2025-06-01");

        Assert.Equal("erinhills", key.Dimensions["course_id"]);
        Assert.Equal("2025-06-01", key.Get("ingest_date"));
        Assert.Throws<KeyNotFoundException>(() => key.Get("tee"));
    }

    [Fact]
    public void Dimensions_RejectARepeatedDimension()
    {
        var error = Assert.Throws<FormatException>(() => new PartitionKey("course_id=a,course_id=b").Dimensions);

        Assert.Contains("'course_id' more than once", error.Message);
    }

    [Fact]
    public void Keys_AreEqualByValue_AndOrderedOrdinally()
    {
        Assert.Equal(new PartitionKey("2025-06-01"), new PartitionKey("2025-06-01"));
        Assert.Equal(["2025-06-01", "2025-06-02", "2025-06-10"],
            new[] { "2025-06-10", "2025-06-01", "2025-06-02" }.Select(v => new PartitionKey(v)).Order().Select(k => k.Value));
    }
}
