using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// A course's Silver fixes, each (round_id, location_index) once, folded into one small accumulator per round: memory grows with
/// the course's rounds, not its fixes. The three per-round Gold tables are all written from this.
/// </summary>
internal sealed class CourseRounds : IFixSink
{
    private readonly Dictionary<string, RoundAccumulator> _rounds = new(StringComparer.Ordinal);
    private string? _lastId;
    private RoundAccumulator? _last;

    public UniqueFixReport Report { get; private set; } = new(0, 0, 0, 0);
    public int RoundCount => _rounds.Count;

    public static async Task<CourseRounds> AggregateAsync(ITableCatalog tables, string courseId, long rowsPerGroup, CancellationToken cancellationToken)
    {
        var result = new CourseRounds();
        result.Report = await UniqueSilverFixes.ReadAsync(tables, courseId, SilverTelemetryScan.RoundColumns, result, rowsPerGroup, cancellationToken);
        return result;
    }

    /// <summary>The figures of every round, ordered by round id so reruns write identical tables.</summary>
    public IEnumerable<RoundFigures> Figures() =>
        _rounds.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.ToFigures(r.Key));

    public void Add(string roundId, in TelemetryFix fix)
    {
        // The reader hands the same string for consecutive fixes of a round: skip the lookup then.
        if (!ReferenceEquals(roundId, _lastId))
        {
            if (!_rounds.TryGetValue(roundId, out _last)) _rounds[roundId] = _last = new RoundAccumulator();
            _lastId = roundId;
        }
        _last!.Add(fix);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
