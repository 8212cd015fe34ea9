using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Lakehouse.Core.Objects;
using Microsoft.Win32.SafeHandles;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// The winner of every (round_id, location_index) key across a partition's files, found in a first pass so the second pass can
/// emit winners as it streams. A round exported in one record (nearly all of them) has no rival for any of its keys, so in
/// memory there is one small entry per round, not per key: each record's keys (slot, rank, battery) go to a spill file on
/// local disk as they are read, and <see cref="EndObserving"/> reads back only the records of rounds seen more than once to
/// settle their winners. Memory grows with the rounds (a 1 GB export: ~190k) and the repeated rounds' keys, not with the 9.5 M
/// keys, whose winners as 12-byte slots in memory took ~135 MB of a 1 GB export's peak.
/// </summary>
internal sealed class DedupIndex : IDisposable
{
    private const int KeyBytes = sizeof(int) + sizeof(byte) + sizeof(double);

    private struct Round
    {
        /// <summary>Ordinal of the first round record with capture logs (0: none).</summary>
        public long DeviceHealthRound;
        /// <summary>The latest of this round's records with locations in <see cref="_records"/> (-1: none).</summary>
        public int LastRecord;
        public int Records;
        /// <summary>More than one record, or one that names a slot twice: its keys need settling.</summary>
        public bool Contested;
        /// <summary>Per slot, the winning candidate (0: no location there); set by <see cref="EndObserving"/> for contested rounds.</summary>
        public long[]? Winners;
    }

    /// <summary>Where one record's keys are in the spill file, and the candidate ordinal of its first location.</summary>
    private readonly record struct RecordKeys(long Offset, int Count, long FirstCandidate, int Previous);

    private readonly LocalStaging _staging;
    private readonly Dictionary<string, Round> _rounds = new(StringComparer.Ordinal);
    private List<RecordKeys>? _records = [];
    private SafeFileHandle? _spill;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;
    private long _spilled;

    public DedupIndex(LocalStaging staging) => _staging = staging;

    public long Candidates { get; private set; }
    public long Duplicates => Candidates - Keys;
    public long Keys { get; private set; }
    public long DuplicateDeviceHealthRounds { get; private set; }

    /// <summary>DATA_CONTRACT §3: prefer is_cache = true, then is_projected = false, then higher battery.</summary>
    private static byte RankOf(in LocationRecord l) => (byte)((l.IsCache == true ? 2 : 0) + (l.IsProjected == false ? 1 : 0));

    /// <summary>Records every location of <paramref name="round"/>, numbering them on from <paramref name="candidate"/> (1-based, in reading order).</summary>
    public void Observe(RoundRecord round, ref long candidate)
    {
        if (_records is null) throw new InvalidOperationException("the dedup index has ended observing");
        if (round.LocationCount == 0) return;
        ref var entry = ref Entry(round.Id!);
        var increasing = true;
        var offset = _spilled + _buffered;
        for (var i = 0; i < round.LocationCount; i++)
        {
            ref var location = ref round.Locations[i];
            if (i > 0 && location.Index <= round.Locations[i - 1].Index) increasing = false;
            if (_buffered + KeyBytes > _buffer.Length) Flush();
            var key = _buffer.AsSpan(_buffered, KeyBytes);
            BinaryPrimitives.WriteInt32LittleEndian(key, location.Index);
            key[sizeof(int)] = RankOf(location);
            BinaryPrimitives.WriteDoubleLittleEndian(key[(sizeof(int) + 1)..], location.Battery ?? double.NegativeInfinity);
            _buffered += KeyBytes;
        }
        _records.Add(new RecordKeys(offset, round.LocationCount, candidate + 1, entry.LastRecord));
        entry.LastRecord = _records.Count - 1;
        entry.Records++;
        entry.Contested |= entry.Records > 1 || !increasing;
        candidate += round.LocationCount;
        Candidates += round.LocationCount;
    }

    /// <summary>The first round record of a round id with capture logs gives its device-health row.</summary>
    public void ObserveDeviceHealth(string roundId, long roundOrdinal)
    {
        ref var entry = ref Entry(roundId);
        if (entry.DeviceHealthRound == 0) entry.DeviceHealthRound = roundOrdinal;
        else DuplicateDeviceHealthRounds++;
    }

    private ref Round Entry(string roundId)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_rounds, roundId, out var exists);
        if (!exists) entry.LastRecord = -1;
        return ref entry;
    }

    /// <summary>Settles the contested rounds' winners from the spill file; call once, after the last <see cref="Observe"/>.</summary>
    public void EndObserving()
    {
        if (_records is null) return;
        Flush();
        var records = new List<RecordKeys>();
        var keys = new byte[KeyBytes * 64];
        foreach (var id in _rounds.Keys)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_rounds, id);
            if (!entry.Contested)
            {
                if (entry.LastRecord >= 0) Keys += _records[entry.LastRecord].Count;
                continue;
            }
            records.Clear();
            for (var r = entry.LastRecord; r >= 0; r = _records[r].Previous) records.Add(_records[r]);
            records.Reverse();
            // Every record of the round, in reading order, one after another in the buffer.
            var total = records.Sum(r => r.Count);
            if (keys.Length < total * KeyBytes) keys = new byte[total * KeyBytes];
            var at = 0;
            foreach (var record in records)
            {
                Read(record, keys.AsSpan(at * KeyBytes, record.Count * KeyBytes));
                at += record.Count;
            }
            var slots = 0;
            for (var i = 0; i < total; i++) slots = Math.Max(slots, BinaryPrimitives.ReadInt32LittleEndian(keys.AsSpan(i * KeyBytes)) + 1);
            var best = new (byte Rank, double Battery)[slots];
            var winners = new long[slots];
            at = 0;
            foreach (var record in records)
            {
                for (var i = 0; i < record.Count; i++, at++)
                {
                    var key = keys.AsSpan(at * KeyBytes, KeyBytes);
                    var index = BinaryPrimitives.ReadInt32LittleEndian(key);
                    var rank = key[sizeof(int)];
                    var battery = BinaryPrimitives.ReadDoubleLittleEndian(key[(sizeof(int) + 1)..]);
                    // The first candidate of a key holds it until a later one ranks higher, or ties on rank with more battery.
                    if (winners[index] != 0 && !(rank > best[index].Rank || (rank == best[index].Rank && battery > best[index].Battery))) continue;
                    if (winners[index] == 0) Keys++;
                    winners[index] = record.FirstCandidate + i;
                    best[index] = (rank, battery);
                }
            }
            entry.Winners = winners;
        }
        _records = null;
        _spill?.Dispose();
        _spill = null;
    }

    private void Read(RecordKeys record, Span<byte> target)
    {
        var done = 0;
        while (done < target.Length)
        {
            var read = RandomAccess.Read(_spill!, target[done..], record.Offset + done);
            if (read == 0) throw new EndOfStreamException("the dedup spill file ended before a record's keys");
            done += read;
        }
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        _spill ??= File.OpenHandle(_staging.NewPath("dedup", ".keys"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        RandomAccess.Write(_spill, _buffer.AsSpan(0, _buffered), _spilled);
        _spilled += _buffered;
        _buffered = 0;
    }

    public bool IsWinner(string roundId, int locationIndex, long candidate)
    {
        if (_records is not null) throw new InvalidOperationException("the dedup index is still observing: call EndObserving first");
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_rounds, roundId);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || entry.Records == 0) return false;
        // An uncontested round's one record has no rival: each of its locations is the only candidate for its key.
        return entry.Winners is not { } winners || (locationIndex < winners.Length && winners[locationIndex] == candidate);
    }

    public bool IsDeviceHealthWinner(string roundId, long roundOrdinal) =>
        _rounds.TryGetValue(roundId, out var entry) && entry.DeviceHealthRound == roundOrdinal;

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
    }
}
