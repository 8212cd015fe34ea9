using Apache.Arrow;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Reads <see cref="TelemetryFix"/> values out of one scanned Silver batch. A column the scan did not ask for reads as null,
/// so an asset that needs a few columns scans only those.
/// </summary>
internal sealed class TelemetryFixReader
{
    private readonly IArrowArray? _locationIndex, _timestamp, _hole, _nine, _section, _startHole, _isNineHole, _isComplete,
        _pace, _paceGap, _positionalGap, _battery, _isProjected, _isProblem, _isCache;

    public TelemetryFixReader(RecordBatch batch)
    {
        RoundIds = SilverTelemetryScan.Column(batch, "round_id") as StringArray
            ?? throw new InvalidDataException($"A scan of {Silver.SilverTables.TelemetryEvent.Id} returned round_id as a non-string column.");
        IngestDates = SilverTelemetryScan.Column(batch, "ingest_date") as Date32Array
            ?? throw new InvalidDataException($"A scan of {Silver.SilverTables.TelemetryEvent.Id} returned ingest_date as a non-date column.");
        _locationIndex = Optional(batch, "location_index");
        _timestamp = Optional(batch, "fix_timestamp");
        _hole = Optional(batch, "hole_number");
        _nine = Optional(batch, "nine_number");
        _section = Optional(batch, "section_number");
        _startHole = Optional(batch, "start_hole");
        _isNineHole = Optional(batch, "is_nine_hole");
        _isComplete = Optional(batch, "is_complete");
        _pace = Optional(batch, "pace");
        _paceGap = Optional(batch, "pace_gap");
        _positionalGap = Optional(batch, "positional_gap");
        _battery = Optional(batch, "battery_percentage");
        _isProjected = Optional(batch, "is_projected");
        _isProblem = Optional(batch, "is_problem");
        _isCache = Optional(batch, "is_cache");
    }

    public StringArray RoundIds { get; }
    public Date32Array IngestDates { get; }

    /// <summary>The ingest date of a row as days since the Unix epoch (a required Silver column).</summary>
    public int IngestDay(int row) =>
        IngestDates.GetValue(row) ?? throw new InvalidDataException($"A Silver row of {Silver.SilverTables.TelemetryEvent.Id} has no ingest_date, a required column.");

    public TelemetryFix Read(int row) => new(
        Int(_locationIndex, row),
        _timestamp is null ? null : ArrowColumnReader.TimestampMicros(_timestamp, row),
        Int(_hole, row),
        Int(_nine, row),
        Int(_section, row),
        Int(_startHole, row),
        Bool(_isNineHole, row),
        Bool(_isComplete, row),
        Double(_pace, row),
        Double(_paceGap, row),
        Double(_positionalGap, row),
        Double(_battery, row),
        Bool(_isProjected, row),
        Bool(_isProblem, row),
        Bool(_isCache, row));

    private static IArrowArray? Optional(RecordBatch batch, string name) =>
        batch.Schema.GetFieldIndex(name) is var i and >= 0 ? batch.Column(i) : null;

    private static int? Int(IArrowArray? array, int row) => array is null ? null : ArrowColumnReader.Int(array, row);
    private static double? Double(IArrowArray? array, int row) => array is null ? null : ArrowColumnReader.Double(array, row);
    private static bool? Bool(IArrowArray? array, int row) => array is null ? null : ArrowColumnReader.Bool(array, row);
}
