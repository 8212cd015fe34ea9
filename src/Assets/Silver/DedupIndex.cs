namespace TmLakehouse.Assets.Silver;

/// <summary>
/// The winner of every (round_id, location_index) key across a partition's files, found in a first pass so the second pass can
/// emit winners as it streams. Memory grows with the number of keys, never with the bytes read.
/// </summary>
internal sealed class DedupIndex
{
    private struct Winner
    {
        public long Ordinal; // 1-based; 0 = no row yet
        public double Battery;
        public byte Rank;
    }

    private readonly Dictionary<string, Winner[]> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _deviceHealth = new(StringComparer.Ordinal);

    public long Candidates { get; private set; }
    public long Duplicates { get; private set; }
    public long Keys => Candidates - Duplicates;
    public long DuplicateDeviceHealthRounds { get; private set; }

    /// <summary>DATA_CONTRACT §3: prefer is_cache = true, then is_projected = false, then higher battery.</summary>
    private static byte RankOf(in LocationRecord l) => (byte)((l.IsCache == true ? 2 : 0) + (l.IsProjected == false ? 1 : 0));

    /// <summary>Records candidate row number <paramref name="ordinal"/> (1-based, in reading order).</summary>
    public void Observe(string roundId, in LocationRecord location, long ordinal)
    {
        Candidates++;
        ref var slots = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_rounds, roundId, out _);
        if (slots is null) slots = new Winner[Math.Max(location.Index + 1, 64)];
        else if (slots.Length <= location.Index) Array.Resize(ref slots, Math.Max(location.Index + 1, slots.Length * 2));
        ref var winner = ref slots[location.Index];
        var rank = RankOf(location);
        var battery = location.Battery ?? double.NegativeInfinity;
        if (winner.Ordinal == 0)
        {
            winner = new Winner { Ordinal = ordinal, Rank = rank, Battery = battery };
            return;
        }
        Duplicates++;
        if (rank > winner.Rank || (rank == winner.Rank && battery > winner.Battery))
            winner = new Winner { Ordinal = ordinal, Rank = rank, Battery = battery };
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
