using Lakehouse.Core.Partitions;
using Microsoft.Extensions.Time.Testing;

namespace Lakehouse.Core.Tests.Partitions;

public class DailyPartitionsDefinitionTests
{
    private static readonly DailyPartitionsDefinition Days = new("ingest_date", new DateOnly(2025, 6, 1));

    [Fact]
    public async Task GetKeys_RunFromTheStartToTodayInUtc()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 3, 23, 30, 0, TimeSpan.FromHours(-5)));

        var keys = await Days.GetKeysAsync(new FakePartitionKeySource(), clock, CancellationToken.None);

        Assert.Equal(["2025-06-01", "2025-06-02", "2025-06-03", "2025-06-04"], keys.Select(k => k.Value));
    }

    [Fact]
    public async Task GetKeys_GrowWithTheClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Single(await Days.GetKeysAsync(new FakePartitionKeySource(), clock, CancellationToken.None));

        clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(3, (await Days.GetKeysAsync(new FakePartitionKeySource(), clock, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task GetKeys_AreEmpty_BeforeTheStart()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 5, 31, 12, 0, 0, TimeSpan.Zero));

        Assert.Empty(await Days.GetKeysAsync(new FakePartitionKeySource(), clock, CancellationToken.None));
    }

    [Theory]
    [InlineData("2025-06-02")]
    [InlineData("ingest_date=2025-06-02")]
    [InlineData(" ingest_date = 2025-06-02 ")]
    public void Parse_AcceptsADay(string text)
    {
        Assert.Equal(new PartitionKey("2025-06-02"), Days.Parse(text));
    }

    [Theory]
    [InlineData("2025-6-2", "expected yyyy-MM-dd")]
    [InlineData("2025-06-31", "expected yyyy-MM-dd")]
    [InlineData("yesterday", "expected yyyy-MM-dd")]
    [InlineData("2025-05-31", "before the first partition of 'ingest_date' (2025-06-01)")]
    [InlineData("event_date=2025-06-02", "does not name dimension 'ingest_date'")]
    public void Parse_RejectsWhatIsNotAPartitionDay(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Days.Parse(text));

        Assert.Contains(reason, error.Message);
    }
}
