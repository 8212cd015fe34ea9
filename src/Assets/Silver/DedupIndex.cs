using System.Runtime.InteropServices;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// The winner of every (round_id, location_index) key across a partition's files, found in a first pass so the second pass can
/// emit winners as it streams. Memory grows with the number of keys, never with the bytes read: 12 bytes a key slot, each
/// round's slots in one array sized to its highest location index (not rounded up), so a 1 GB export's 9.5 M keys take about
/// 135 MB instead of the 290 MB that 24-byte slots in arrays of at least 64 took.
/// </summary>
internal sealed class DedupIndex
{
    // The rank's two bits sit above the ordinal's 30: a partition of more than 2^30 candidate rows (a ~100 GB export) is refused.
    private const int RankShift = 30;
    private const uint OrdinalMask = (1u << RankShift) - 1;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Winner
    {
        public double Battery;
        public uint OrdinalAndRank; // ordinal 1-based in the low 30 bits (0 = no row yet), rank in the top 2

        public readonly uint Ordinal => OrdinalAndRank & OrdinalMask;
        public readonly uint Rank => OrdinalAndRank >> RankShift;
    }

    private readonly Dictionary<string, Winner[]> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _deviceHealth = new(StringComparer.Ordinal);

    public long Candidates { get; private set; }
    public long Duplicates { get; private set; }
    public long Keys => Candidates - Duplicates;
    public long DuplicateDeviceHealthRounds { get; private set; }

    /// <summary>DATA_CONTRACT §3: prefer is_cache = true, then is_projected = false, then higher battery.</summary>
    private static uint RankOf(in LocationRecord l) => (uint)((l.IsCache == true ? 2 : 0) + (l.IsProjected == false ? 1 : 0));

    /// <summary>Records every location of <paramref name="round"/>, numbering them on from <paramref name="candidate"/> (1-based, in reading order).</summary>
    public void Observe(RoundRecord round, ref long candidate)
    {
        if (round.LocationCount == 0) return;
        var width = 0;
        for (var i = 0; i < round.LocationCount; i++) width = Math.Max(width, round.Locations[i].Index + 1);
        ref var slots = ref CollectionsMarshal.GetValueRefOrAddDefault(_rounds, round.Id!, out _);
        if (slots is null) slots = new Winner[width];
        else if (slots.Length < width) Array.Resize(ref slots, width);
        for (var i = 0; i < round.LocationCount; i++)
        {
            ref var location = ref round.Locations[i];
            var ordinal = ++candidate;
            if (ordinal > OrdinalMask)
                throw new InvalidOperationException($"a Silver partition of more than {OrdinalMask:N0} location rows is beyond the dedup index; split the export by ingest date.");
            Candidates++;
            ref var winner = ref slots[location.Index];
            var rank = RankOf(location);
            var battery = location.Battery ?? double.NegativeInfinity;
            var packed = (uint)ordinal | (rank << RankShift);
            if (winner.Ordinal == 0)
            {
                winner = new Winner { OrdinalAndRank = packed, Battery = battery };
                continue;
            }
            Duplicates++;
            if (rank > winner.Rank || (rank == winner.Rank && battery > winner.Battery))
                winner = new Winner { OrdinalAndRank = packed, Battery = battery };
        }
    }

    public bool IsWinner(string roundId, int locationIndex, long ordinal) =>
        _rounds.TryGetValue(roundId, out var slots) && locationIndex < slots.Length && slots[locationIndex].Ordinal == ordinal;

    /// <summary>The first round record of a round id with capture logs gives its device-health row.</summary>
    public void ObserveDeviceHealth(string roundId, long roundOrdinal)
    {
        if (!_deviceHealth.TryAdd(roundId, roundOrdinal)) DuplicateDeviceHealthRounds++;
    }

    public bool IsDeviceHealthWinner(string roundId, long roundOrdinal) =>
        _deviceHealth.TryGetValue(roundId, out var winner) && winner == roundOrdinal;
}
