using Apache.Arrow;

namespace TmLakehouse.Assets.Silver;

/// <summary>Builds fact_device_health Arrow batches: one row per round with capture logs.</summary>
internal sealed class DeviceHealthBatchBuilder(int capacity = SilverTransform.BatchRows)
{
    private readonly BytesColumn _roundId = new(capacity), _courseId = new(capacity), _device = new(capacity), _log = new(capacity);
    private readonly ValueColumn<int> _ingestDate = new(capacity), _entries = new(capacity);

    public int Count { get; private set; }
    public bool IsFull => Count == capacity;

    public void Append(string courseId, DateOnly ingestDate, RoundRecord round)
    {
        Count++;
        _roundId.Append(round.Id);
        _courseId.Append(courseId);
        _ingestDate.Append(ingestDate.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
        _device.Append(round.Device);
        _log.Append(round.CaptureLogs);
        _entries.Append(round.CaptureLogEntries);
    }

    public RecordBatch Build()
    {
        var (dv, dn, dl, dnulls) = _ingestDate.Take();
        var (ev, en, el, enulls) = _entries.Take();
        var batch = new RecordBatch(SilverArrowSchemas.DeviceHealth,
            [_roundId.BuildString(), _courseId.BuildString(), new Date32Array(dv, dn, dl, dnulls, 0), _device.BuildString(), _log.BuildString(),
             new Int32Array(ev, en, el, enulls, 0)], Count);
        Count = 0;
        return batch;
    }
}
