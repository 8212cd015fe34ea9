using Apache.Arrow;
using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// One pass over a course's Silver rows, folded into one small accumulator per round: memory grows with the course's rounds,
/// not its fixes. The three per-round Gold tables are all written from this.
/// </summary>
internal sealed class CourseRounds
{
    private readonly Dictionary<string, RoundAccumulator> _rounds = new(StringComparer.Ordinal);

    public long RowsIn { get; private set; }
    public int RoundCount => _rounds.Count;
    public long DuplicateFixes => _rounds.Values.Sum(r => r.DuplicateFixes);

    public static async Task<CourseRounds> AggregateAsync(ITableCatalog tables, string courseId, CancellationToken cancellationToken)
    {
        var result = new CourseRounds();
        await foreach (var batch in SilverTelemetryScan.ScanAsync(tables, courseId, SilverTelemetryScan.RoundColumns, cancellationToken))
            result.Add(batch);
        return result;
    }

    /// <summary>The figures of every round, ordered by round id so reruns write identical tables.</summary>
    public IEnumerable<RoundFigures> Figures() =>
        _rounds.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.ToFigures(r.Key));

    private void Add(RecordBatch batch)
    {
        var roundIds = SilverTelemetryScan.Column(batch, "round_id") as StringArray
            ?? throw new InvalidDataException($"A scan of {SilverTables.TelemetryEvent.Id} returned round_id as a non-string column.");
        var locationIndex = SilverTelemetryScan.Column(batch, "location_index");
        var timestamp = SilverTelemetryScan.Column(batch, "fix_timestamp");
        var hole = SilverTelemetryScan.Column(batch, "hole_number");
        var nine = SilverTelemetryScan.Column(batch, "nine_number");
        var section = SilverTelemetryScan.Column(batch, "section_number");
        var startHole = SilverTelemetryScan.Column(batch, "start_hole");
        var isNineHole = SilverTelemetryScan.Column(batch, "is_nine_hole");
        var isComplete = SilverTelemetryScan.Column(batch, "is_complete");
        var pace = SilverTelemetryScan.Column(batch, "pace");
        var paceGap = SilverTelemetryScan.Column(batch, "pace_gap");
        var positionalGap = SilverTelemetryScan.Column(batch, "positional_gap");
        var battery = SilverTelemetryScan.Column(batch, "battery_percentage");
        var isProjected = SilverTelemetryScan.Column(batch, "is_projected");
        var isProblem = SilverTelemetryScan.Column(batch, "is_problem");
        var isCache = SilverTelemetryScan.Column(batch, "is_cache");

        // Silver files keep a round's fixes together, so the previous row's round is usually this row's: skip the string and the lookup.
        ReadOnlySpan<byte> previousId = default;
        RoundAccumulator? round = null;
        for (var row = 0; row < batch.Length; row++)
        {
            if (roundIds.IsNull(row))
                throw new InvalidDataException($"Silver row {RowsIn + 1} of the scan has no round_id, a required column.");
            var idBytes = roundIds.GetBytes(row);
            if (round is null || !idBytes.SequenceEqual(previousId))
            {
                var id = roundIds.GetString(row);
                if (!_rounds.TryGetValue(id, out round)) _rounds[id] = round = new RoundAccumulator();
                previousId = idBytes;
            }
            round.Add(new TelemetryFix(
                ArrowColumnReader.Int(locationIndex, row),
                ArrowColumnReader.TimestampMicros(timestamp, row),
                ArrowColumnReader.Int(hole, row),
                ArrowColumnReader.Int(nine, row),
                ArrowColumnReader.Int(section, row),
                ArrowColumnReader.Int(startHole, row),
                ArrowColumnReader.Bool(isNineHole, row),
                ArrowColumnReader.Bool(isComplete, row),
                ArrowColumnReader.Double(pace, row),
                ArrowColumnReader.Double(paceGap, row),
                ArrowColumnReader.Double(positionalGap, row),
                ArrowColumnReader.Double(battery, row),
                ArrowColumnReader.Bool(isProjected, row),
                ArrowColumnReader.Bool(isProblem, row),
                ArrowColumnReader.Bool(isCache, row)));
            RowsIn++;
        }
    }
}
