using Apache.Arrow;
using Apache.Arrow.Types;

namespace TmLakehouse.Assets.Silver;

/// <summary>
/// Builds fact_telemetry_event Arrow batches (SilverTables column order and types) from rounds, deriving fix_timestamp,
/// the event date parts, nine_number and the WKB geometry; optionally with a <c>quarantine_reason</c> column.
/// </summary>
internal sealed class TelemetryBatchBuilder
{
    private const long MicrosPerDay = 86_400_000_000L;
    private static readonly TimestampType Micros = new(TimeUnit.Microsecond, "UTC");

    private readonly int _capacity;
    private readonly bool _withReason;
    private readonly Schema _schema;
    private readonly long[] _nulls;
    private readonly byte[] _wkb = new byte[21];
    private DateOnly _lastDate;
    private int _lastDay = int.MinValue;

    private readonly BytesColumn _roundId, _courseId, _goalName, _device, _reason, _geometry;
    private readonly ValueColumn<int> _ingestDate, _eventDate, _locationIndex, _eventYear, _eventMonth, _hole, _holeSection, _sectionNumber,
        _nine, _startHole, _startSection, _endSection, _currentNine;
    private readonly ValueColumn<long> _fixTimestamp, _roundStart, _roundEnd;
    private readonly ValueColumn<double> _longitude, _latitude, _pace, _paceGap, _positionalGap, _battery, _goalTime, _goalTimeFraction;
    private readonly BoolColumn _isProjected, _isProblem, _isCache, _heldUp, _holdingUp, _isTimestampMissing, _isNineHole, _isComplete,
        _isIncomplete, _isSecondary, _isAutoAssigned;

    public TelemetryBatchBuilder(bool withReason, long[] nullCounts, int capacity = SilverTransform.BatchRows)
    {
        _capacity = capacity;
        _withReason = withReason;
        _schema = withReason ? SilverArrowSchemas.Quarantine : SilverArrowSchemas.TelemetryEvent;
        _nulls = nullCounts;
        _wkb[0] = 1; // little-endian
        BitConverter.TryWriteBytes(_wkb.AsSpan(1), 1u); // WKB geometry type 1: Point
        _roundId = new(capacity); _courseId = new(capacity); _goalName = new(capacity); _device = new(capacity); _reason = new(capacity);
        _geometry = new(capacity);
        _ingestDate = new(capacity); _eventDate = new(capacity); _locationIndex = new(capacity); _eventYear = new(capacity);
        _eventMonth = new(capacity); _hole = new(capacity); _holeSection = new(capacity); _sectionNumber = new(capacity);
        _nine = new(capacity); _startHole = new(capacity); _startSection = new(capacity); _endSection = new(capacity); _currentNine = new(capacity);
        _fixTimestamp = new(capacity); _roundStart = new(capacity); _roundEnd = new(capacity);
        _longitude = new(capacity); _latitude = new(capacity); _pace = new(capacity); _paceGap = new(capacity); _positionalGap = new(capacity);
        _battery = new(capacity); _goalTime = new(capacity); _goalTimeFraction = new(capacity);
        _isProjected = new(capacity); _isProblem = new(capacity); _isCache = new(capacity); _heldUp = new(capacity); _holdingUp = new(capacity);
        _isTimestampMissing = new(capacity); _isNineHole = new(capacity); _isComplete = new(capacity); _isIncomplete = new(capacity);
        _isSecondary = new(capacity); _isAutoAssigned = new(capacity);
    }

    public int Count { get; private set; }
    public bool IsFull => Count == _capacity;

    /// <summary>The fix time: the location's own date when present, else the round start plus the section's start seconds.</summary>
    public static long? FixTimestamp(RoundRecord round, in LocationRecord l) =>
        l.Date ?? (round.StartTime is { } start && l.StartSeconds is { } seconds ? start + (long)Math.Round(seconds * 1_000_000) : null);

    /// <summary>DATA_CONTRACT §3: sections 1–27 are the first nine, 28–54 the second, above that the third.</summary>
    public static int? NineOf(int? section) => section switch { null => null, <= 27 => 1, <= 54 => 2, _ => 3 };

    public void Append(string courseId, DateOnly ingestDate, RoundRecord round, in LocationRecord l, string? reason = null)
    {
        Count++;
        _roundId.Append(round.Id);
        if (round.Id is null) _nulls[SilverColumn.RoundId]++;
        _courseId.Append(courseId);
        _ingestDate.Append(ingestDate.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
        _locationIndex.Append(l.Index);
        var fix = FixTimestamp(round, l);
        Value(_fixTimestamp, fix, SilverColumn.FixTimestamp);
        if (fix is { } micros)
        {
            var day = (int)(micros >= 0 ? micros / MicrosPerDay : (micros - MicrosPerDay + 1) / MicrosPerDay);
            if (day != _lastDay)
            {
                _lastDay = day;
                _lastDate = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day);
            }
            _eventDate.Append(day);
            _eventYear.Append(_lastDate.Year);
            _eventMonth.Append(_lastDate.Month);
        }
        else
        {
            _eventDate.AppendNull(); _nulls[SilverColumn.EventDate]++;
            _eventYear.AppendNull(); _nulls[SilverColumn.EventYear]++;
            _eventMonth.AppendNull(); _nulls[SilverColumn.EventMonth]++;
        }
        Value(_hole, l.Hole, SilverColumn.HoleNumber);
        Value(_holeSection, l.HoleSection, SilverColumn.HoleSection);
        Value(_sectionNumber, l.SectionNumber, SilverColumn.SectionNumber);
        Value(_nine, NineOf(l.SectionNumber), SilverColumn.NineNumber);
        Value(_longitude, l.Longitude, SilverColumn.Longitude);
        Value(_latitude, l.Latitude, SilverColumn.Latitude);
        if (l.Longitude is { } x && l.Latitude is { } y)
        {
            BitConverter.TryWriteBytes(_wkb.AsSpan(5), x);
            BitConverter.TryWriteBytes(_wkb.AsSpan(13), y);
            _geometry.Append(_wkb.AsSpan());
        }
        else
        {
            _geometry.AppendNull();
            _nulls[SilverColumn.Geometry]++;
        }
        Value(_pace, l.Pace, SilverColumn.Pace);
        Value(_paceGap, l.PaceGap, SilverColumn.PaceGap);
        Value(_positionalGap, l.PositionalGap, SilverColumn.PositionalGap);
        Value(_battery, l.Battery, SilverColumn.Battery);
        Flag(_isProjected, l.IsProjected, SilverColumn.IsProjected);
        Flag(_isProblem, l.IsProblem, SilverColumn.IsProblem);
        Flag(_isCache, l.IsCache, SilverColumn.IsCache);
        Flag(_heldUp, l.HeldUp, SilverColumn.HeldUp);
        Flag(_holdingUp, l.HoldingUp, SilverColumn.HoldingUp);
        _isTimestampMissing.Append(fix is null);
        Value(_roundStart, round.StartTime, SilverColumn.RoundStartTime);
        Value(_roundEnd, round.EndTime, SilverColumn.RoundEndTime);
        Value(_startHole, round.StartHole, SilverColumn.StartHole);
        Value(_startSection, round.StartSection, SilverColumn.StartSection);
        Value(_endSection, round.EndSection, SilverColumn.EndSection);
        Flag(_isNineHole, round.IsNineHole, SilverColumn.IsNineHole);
        Value(_currentNine, round.CurrentNine, SilverColumn.CurrentNine);
        Value(_goalTime, round.GoalTime, SilverColumn.GoalTime);
        _goalName.Append(round.GoalName);
        if (round.GoalName is null) _nulls[SilverColumn.GoalName]++;
        Value(_goalTimeFraction, round.GoalTimeFraction, SilverColumn.GoalTimeFraction);
        Flag(_isComplete, round.IsComplete, SilverColumn.IsComplete);
        Flag(_isIncomplete, round.IsIncomplete, SilverColumn.IsIncomplete);
        Flag(_isSecondary, round.IsSecondary, SilverColumn.IsSecondary);
        Flag(_isAutoAssigned, round.IsAutoAssigned, SilverColumn.IsAutoAssigned);
        _device.Append(round.Device);
        if (round.Device is null) _nulls[SilverColumn.Device]++;
        if (_withReason) _reason.Append(reason ?? "");
    }

    public RecordBatch Build()
    {
        IArrowArray[] arrays =
        [
            _roundId.BuildString(), _courseId.BuildString(), Date(_ingestDate), Int(_locationIndex), Time(_fixTimestamp), Date(_eventDate),
            Int(_eventYear), Int(_eventMonth), Int(_hole), Int(_holeSection), Int(_sectionNumber), Int(_nine),
            Dbl(_longitude), Dbl(_latitude), _geometry.BuildBinary(), Dbl(_pace), Dbl(_paceGap), Dbl(_positionalGap),
            Dbl(_battery), _isProjected.Build(), _isProblem.Build(), _isCache.Build(), _heldUp.Build(), _holdingUp.Build(),
            _isTimestampMissing.Build(), Time(_roundStart), Time(_roundEnd), Int(_startHole), Int(_startSection),
            Int(_endSection), _isNineHole.Build(), Int(_currentNine), Dbl(_goalTime), _goalName.BuildString(),
            Dbl(_goalTimeFraction), _isComplete.Build(), _isIncomplete.Build(), _isSecondary.Build(), _isAutoAssigned.Build(),
            _device.BuildString(),
        ];
        if (_withReason) arrays = [.. arrays, _reason.BuildString()];
        var batch = new RecordBatch(_schema, arrays, Count);
        Count = 0;
        return batch;
    }

    private static Int32Array Int(ValueColumn<int> c) { var (v, n, l, nulls) = c.Take(); return new Int32Array(v, n, l, nulls, 0); }
    private static Date32Array Date(ValueColumn<int> c) { var (v, n, l, nulls) = c.Take(); return new Date32Array(v, n, l, nulls, 0); }
    private static DoubleArray Dbl(ValueColumn<double> c) { var (v, n, l, nulls) = c.Take(); return new DoubleArray(v, n, l, nulls, 0); }
    private static TimestampArray Time(ValueColumn<long> c) { var (v, n, l, nulls) = c.Take(); return new TimestampArray(Micros, v, n, l, nulls, 0); }

    private void Value<T>(ValueColumn<T> c, T? v, int column) where T : unmanaged
    {
        if (v is { } x) c.Append(x);
        else { c.AppendNull(); _nulls[column]++; }
    }

    private void Flag(BoolColumn c, bool? v, int column)
    {
        c.Append(v);
        if (v is null) _nulls[column]++;
    }
}
