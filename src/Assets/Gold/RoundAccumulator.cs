namespace TmLakehouse.Assets.Gold;

/// <summary>Running totals of one round's fixes, each given once; fixes may arrive in any order, from any batch or file.</summary>
internal sealed class RoundAccumulator
{
    private readonly SmallIntSet _holes = new();
    private readonly SmallIntSet _nines = new();
    private long _fixes, _tsMissing, _projected, _problem, _cached, _lowBattery, _criticalBattery;
    private long? _minTs, _maxTs;
    private int? _maxSection, _startHole;
    private bool? _isNineHole, _isComplete;
    private double? _maxPace, _minBattery;
    private Mean _pace, _paceGap, _positionalGap, _battery;

    public void Add(in TelemetryFix fix)
    {
        _fixes++;

        if (fix.TimestampMicros is { } ts)
        {
            if (_minTs is null || ts < _minTs) _minTs = ts;
            if (_maxTs is null || ts > _maxTs) _maxTs = ts;
        }
        else _tsMissing++;

        if (fix.HoleNumber is { } hole) _holes.Add(hole);
        if (fix.NineNumber is { } nine) _nines.Add(nine);
        if (fix.SectionNumber is { } section && (_maxSection is null || section > _maxSection)) _maxSection = section;

        // Round-level fields repeat on every fix of the round; the first value seen stands for the round.
        _startHole ??= fix.StartHole;
        _isNineHole ??= fix.IsNineHole;
        _isComplete ??= fix.IsComplete;

        if (fix.Pace is { } pace)
        {
            _pace.Add(pace);
            if (_maxPace is null || pace > _maxPace) _maxPace = pace;
        }
        if (fix.PaceGap is { } paceGap) _paceGap.Add(paceGap);
        if (fix.PositionalGap is { } positionalGap) _positionalGap.Add(positionalGap);
        if (fix.Battery is { } battery)
        {
            _battery.Add(battery);
            if (_minBattery is null || battery < _minBattery) _minBattery = battery;
            if (battery < BatteryThresholds.Low) _lowBattery++;
            if (battery < BatteryThresholds.Critical) _criticalBattery++;
        }

        if (fix.IsProjected == true) _projected++;
        if (fix.IsProblem == true) _problem++;
        if (fix.IsCache == true) _cached++;
    }

    public RoundFigures ToFigures(string roundId) => new(
        roundId,
        _minTs,
        _maxTs,
        _minTs is { } start && _maxTs is { } end ? (end - start) / 1_000_000d : null,
        _fixes,
        _tsMissing,
        _holes.Count,
        _nines.Count,
        _startHole,
        _isNineHole,
        _isComplete,
        _pace.Value,
        _maxPace,
        _paceGap.Value,
        _positionalGap.Value,
        _projected,
        _problem,
        _cached,
        _minBattery,
        _battery.Value,
        _lowBattery,
        _criticalBattery,
        RateOf(_projected),
        RateOf(_problem),
        RateOf(_cached),
        RoundLength.Of(_nines.Count, _maxSection));

    private double? RateOf(long count) => _fixes == 0 ? null : (double)count / _fixes;

    /// <summary>An average over the non-null values only; null when there were none.</summary>
    private struct Mean
    {
        private double _sum;
        private long _count;

        public void Add(double value)
        {
            _sum += value;
            _count++;
        }

        public readonly double? Value => _count == 0 ? null : _sum / _count;
    }
}
