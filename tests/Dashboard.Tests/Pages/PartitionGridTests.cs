using Dashboard.Tests.Support;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Partitions;
using TmLakehouse.Dashboard.Pages;

namespace Dashboard.Tests.Pages;

public sealed class PartitionGridTests
{
    private static AssetPartitionStatus Status(string partition, MaterializationState state) =>
        new(new AssetKey("silver/toy"), new PartitionKey(partition), state, "run-1", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Counts_IncludeAFailedPartitionThatIsNoLongerAKnownKey_AsTheCliCountsTheStatusTable()
    {
        IReadOnlyList<PartitionKey> known = [new("course_id=alpha,ingest_date=2025-06-01"), new("course_id=alpha,ingest_date=2025-06-02"), new("course_id=beta,ingest_date=2025-06-01")];
        var statuses = new[]
        {
            Status("course_id=alpha,ingest_date=2025-06-01", MaterializationState.Failed),
            Status("course_id=alpha,ingest_date=2025-06-02", MaterializationState.Failed),
            Status("course_id=beta,ingest_date=2025-06-01", MaterializationState.Materialized),
            // Landed once, failed, and then its file was removed from the landing zone: the definition no longer lists it.
            Status("course_id=gamma,ingest_date=2025-06-03", MaterializationState.Failed),
        }.ToDictionary(s => s.Partition!.Value);

        var html = PartitionGrid.Render(ToyLakehouse.Partitions, known, statuses);

        Assert.Contains("4 partitions: <span data-status=\"failed\" data-count=\"3\">3 failed</span>, <span data-status=\"materialized\" data-count=\"1\">1 materialized</span>", html);
        Assert.Contains("data-partition=\"course_id=gamma,ingest_date=2025-06-03\" data-status=\"failed\"", html);
    }
}
