namespace TmLakehouse.Assets.Gold;

/// <summary>
/// A set of small non-negative ints (hole, nine, location numbers) as a growable bit set, so that one set per round
/// costs a few words; values outside 0..4095 go to an ordinary hash set.
/// </summary>
internal sealed class SmallIntSet
{
    private const int BitLimit = 4096;
    private ulong[] _bits = [];
    private HashSet<int>? _others;

    public int Count { get; private set; }

    /// <summary>Adds the value; false when it was already there.</summary>
    public bool Add(int value)
    {
        if (value is < 0 or >= BitLimit)
        {
            _others ??= [];
            if (!_others.Add(value)) return false;
            Count++;
            return true;
        }
        var word = value >> 6;
        if (word >= _bits.Length) Array.Resize(ref _bits, word + 1);
        var mask = 1UL << (value & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }
}
