using Lakehouse.Core.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Lakehouse.Core.Tests.Partitions;

public class MultiPartitionsDefinitionTests
{
    private static readonly DynamicPartitionsDefinition Courses = new("courses", "course_id");
    private static readonly DailyPartitionsDefinition Days = new("ingest_date", new DateOnly(2025, 6, 1));
    private static readonly MultiPartitionsDefinition CourseDays = new([("course_id", Courses), ("ingest_date", Days)]);

    [Theory]
    [InlineData("course_id=erinhills,ingest_date=2025-06-02")]
    [InlineData("ingest_date=2025-06-02,course_id=erinhills")]
    [InlineData("  ingest_date = 2025-06-02 , course_id = erinhills ")]
    public void Parse_GivesTheCanonicalKey_WhateverTheOrderOfDimensions(string text)
    {
        var key = CourseDays.Parse(text);

        Assert.Equal("course_id=erinhills,ingest_date=2025-06-02", key.Value);
        Assert.Equal("erinhills", key.Get("course_id"));
        Assert.Equal("2025-06-02", key.Get("ingest_date"));
    }

    [Theory]
    [InlineData("erinhills", "write course_id=...,ingest_date=...")]
    [InlineData("", "empty partition key")]
    [InlineData("course_id=erinhills", "lacks dimension(s) ingest_date")]
    [InlineData("course_id=erinhills,ingest_date=2025-06-02,tee=blue", "unknown dimension(s) tee")]
    [InlineData("course_id=erinhills,ingest_date=2025-13-01", "expected yyyy-MM-dd")]
    [InlineData("course_id=erinhills,ingest_date=2025-05-01", "before the first partition")]
    [InlineData("course_id=erinhills,course_id=pebble,ingest_date=2025-06-02", "names dimension 'course_id' more than once")]
    [InlineData("course_id=,ingest_date=2025-06-02", "empty partition key was given for dimension 'course_id'")]
    [InlineData("course_id=erinhills,2025-06-02", "expected dim=value pairs")]
    public void Parse_RejectsKeysThatDoNotFit_WithAReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CourseDays.Parse(text));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task GetKeys_AreTheCartesianProduct_WithoutRegisteredKeys()
    {
        var source = new FakePartitionKeySource().Add("courses", "erinhills", "pebble");
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

        var keys = await CourseDays.GetKeysAsync(source, clock, CancellationToken.None);

        Assert.Equal(
        [
            "course_id=erinhills,ingest_date=2025-06-01", "course_id=erinhills,ingest_date=2025-06-02",
            "course_id=pebble,ingest_date=2025-06-01", "course_id=pebble,ingest_date=2025-06-02",
        ], keys.Select(k => k.Value));
    }

    [Fact]
    public async Task GetKeys_AreOnlyTheRegisteredPairs_WhenRegisteredKeysAreNamed()
    {
        var landed = CourseDays with { RegisteredKeysName = "telemetry_landed" };
        var source = new FakePartitionKeySource()
            .Add("courses", "erinhills", "pebble")
            .Add("telemetry_landed", "ingest_date=2025-06-02,course_id=pebble");

        var keys = await landed.GetKeysAsync(source, TimeProvider.System, CancellationToken.None);

        Assert.Equal(["course_id=pebble,ingest_date=2025-06-02"], keys.Select(k => k.Value));
    }
}
