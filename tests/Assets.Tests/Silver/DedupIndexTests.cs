using Lakehouse.Core.Objects;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

/// <summary>The dedup index's own rules: an uncontested round wins everywhere, a contested key goes to the best candidate, and the spill file goes away.</summary>
public sealed class DedupIndexTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tmlake-dedup-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static RoundRecord Round(string id, params (int Index, bool? Cache, bool? Projected, double? Battery)[] locations)
    {
        var round = new RoundRecord { Id = id };
        foreach (var (index, cache, projected, battery) in locations)
        {
            ref var l = ref round.AddLocation(index);
            l.IsCache = cache;
            l.IsProjected = projected;
            l.Battery = battery;
        }
        return round;
    }

    [Fact]
    public void ContestedKeys_GoToTheBestCandidate_InReadingOrderOnTies_AndUncontestedRoundsWinEverywhere()
    {
        using var dedup = new DedupIndex(new LocalStaging(_root));
        long candidate = 0;
        dedup.Observe(Round("solo", (0, false, true, 10), (1, false, true, 20)), ref candidate);            // candidates 1, 2
        dedup.Observe(Round("twice", (0, false, true, 50), (1, true, false, 5), (2, false, true, 30)), ref candidate); // 3, 4, 5
        dedup.Observe(Round("twice", (0, false, false, 1), (1, true, false, 9), (2, false, true, 30), (3, null, null, null)), ref candidate); // 6..9
        dedup.Observe(Round("twice", (0, true, true, 0), (1, true, false, 9)), ref candidate);             // 10, 11
        Assert.Throws<InvalidOperationException>(() => dedup.IsWinner("solo", 0, 1));
        dedup.EndObserving();

        Assert.True(dedup.IsWinner("solo", 0, 1));
        Assert.True(dedup.IsWinner("solo", 1, 2));
        Assert.False(dedup.IsWinner("unknown", 0, 1));
        // Slot 0: is_cache beats is_projected = false beats battery (10 ranks above 6 above 3).
        Assert.Equal([false, false, true], new long[] { 3, 6, 10 }.Select(c => dedup.IsWinner("twice", 0, c)));
        // Slot 1: same rank, more battery wins (9 > 5); an equal battery later does not take it (6 keeps it over 11).
        Assert.Equal([false, true, false], new long[] { 4, 7, 11 }.Select(c => dedup.IsWinner("twice", 1, c)));
        // Slot 2: a tie on everything keeps the first; slot 3 has one candidate.
        Assert.Equal([true, false, true], new long[] { 5, 8, 9 }.Select(c => dedup.IsWinner("twice", c == 9 ? 3 : 2, c)));
        Assert.Equal(11, dedup.Candidates);
        Assert.Equal(2 + 4, dedup.Keys);
        Assert.Equal(5, dedup.Duplicates);
    }

    [Fact]
    public void ARecordNamingASlotTwice_IsSettledLikeTwoRecords()
    {
        using var dedup = new DedupIndex(new LocalStaging(_root));
        long candidate = 0;
        dedup.Observe(Round("r", (4, false, true, 10), (4, true, true, 10)), ref candidate);
        dedup.EndObserving();
        Assert.False(dedup.IsWinner("r", 4, 1));
        Assert.True(dedup.IsWinner("r", 4, 2));
        Assert.Equal((2, 1, 1), (dedup.Candidates, dedup.Keys, dedup.Duplicates));
    }

    [Fact]
    public void TheSpillFile_IsGoneOnceTheIndexIsDisposed()
    {
        var staging = new LocalStaging(_root);
        using (var dedup = new DedupIndex(staging))
        {
            long candidate = 0;
            for (var i = 0; i < 10_000; i++) dedup.Observe(Round($"r{i % 7_000}", (0, false, true, i), (1, false, true, i)), ref candidate);
            Assert.NotEmpty(Directory.GetFiles(staging.Folder));
            dedup.EndObserving();
            Assert.Equal(7_000 * 2, dedup.Keys);
        }
        Assert.Empty(Directory.GetFiles(staging.Folder));
    }
}
