using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// The first, cheap pass of a course's Gold read (round_id and ingest_date only): which rounds landed in more than one ingest,
/// and how many Silver rows those hold. Memory grows with the course's rounds, not its fixes.
/// </summary>
internal sealed class RoundIngestCensus
{
    /// <summary>One round: the first ingest day seen, whether another followed, its rows, and (when re-exported) its resolution group.</summary>
    internal struct Entry
    {
        /// <summary>The round id, one string per round for every pass and every table built from it.</summary>
        public string Id;
        public int FirstDay;
        public bool SeveralIngests;
        public long Rows;
        public int Group;
    }

    private static readonly IReadOnlyList<string> Columns = ["round_id", "ingest_date"];
    private readonly Dictionary<string, Entry> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    private RoundIngestCensus() => _byChars = _rounds.GetAlternateLookup<ReadOnlySpan<char>>();

    public long RowsIn { get; private set; }
    public long ReexportedRounds { get; private set; }

    /// <summary>How many groups the re-exported rounds were split into; each is resolved in its own pass over Silver.</summary>
    public int Groups { get; private set; }

    public static async Task<RoundIngestCensus> TakeAsync(SilverTelemetryScan silver, long rowsPerGroup, CancellationToken cancellationToken)
    {
        var census = new RoundIngestCensus();
        await foreach (var batch in silver.ScanAsync(Columns, cancellationToken))
            census.Add(new TelemetryFixReader(batch), batch.Length);
        census.AssignGroups(rowsPerGroup);
        return census;
    }

    /// <summary>The entry of a round id given as UTF-8 (as Arrow holds it), found without allocating a string.</summary>
    public Entry Find(ReadOnlySpan<byte> utf8)
    {
        var length = Encoding.UTF8.GetCharCount(utf8);
        var chars = length <= 256 ? stackalloc char[length] : new char[length];
        Encoding.UTF8.GetChars(utf8, chars);
        return _byChars.TryGetValue(chars, out var entry)
            ? entry
            : throw new InvalidOperationException($"Round {chars.ToString()} appeared in Silver after Gold's first pass over the same snapshot.");
    }

    private void Add(TelemetryFixReader reader, int length)
    {
        // Silver files keep a round's fixes together: most rows repeat the previous row's round, so look it up only on a change.
        ReadOnlySpan<byte> previousId = default;
        ref var current = ref Unsafe.NullRef<Entry>();
        for (var row = 0; row < length; row++)
        {
            if (reader.RoundIds.IsNull(row))
                throw new InvalidDataException($"Silver row {RowsIn + 1} of the scan has no round_id, a required column.");
            RowsIn++;
            var idBytes = reader.RoundIds.GetBytes(row);
            var day = reader.IngestDay(row);
            if (Unsafe.IsNullRef(ref current) || !idBytes.SequenceEqual(previousId))
            {
                var id = reader.RoundIds.GetString(row);
                current = ref CollectionsMarshal.GetValueRefOrAddDefault(_rounds, id, out var seen);
                if (!seen) (current.Id, current.FirstDay) = (id, day);
                previousId = idBytes;
            }
            current.Rows++;
            if (day != current.FirstDay && !current.SeveralIngests)
            {
                current.SeveralIngests = true;
                ReexportedRounds++;
            }
        }
    }

    /// <summary>
    /// Packs re-exported rounds into groups of at most <paramref name="rowsPerGroup"/> Silver rows (a bigger round gets a group of
    /// its own), in round id order so the passes are the same on every run.
    /// </summary>
    private void AssignGroups(long rowsPerGroup)
    {
        long inGroup = 0;
        var group = 0;
        foreach (var id in _rounds.Where(r => r.Value.SeveralIngests).Select(r => r.Key).Order(StringComparer.Ordinal).ToList())
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_rounds, id);
            if (inGroup > 0 && inGroup + entry.Rows > rowsPerGroup)
            {
                group++;
                inGroup = 0;
            }
            entry.Group = group;
            inGroup += entry.Rows;
        }
        Groups = inGroup > 0 || group > 0 ? group + 1 : 0;
    }
}
