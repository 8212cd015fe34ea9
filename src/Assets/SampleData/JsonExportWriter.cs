using System.Text.Json;

namespace TmLakehouse.Assets.SampleData;

/// <summary>Writes rounds as a MongoDB export: one JSON array, <c>{"$oid"}</c> ids, <c>{"$date"}</c> dates, nested locations.</summary>
internal sealed class JsonExportWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public JsonExportWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = false });
        _json.WriteStartArray();
    }

    public void Write(SampleRound round)
    {
        var j = _json;
        j.WriteStartObject();
        if (round.Id is not null)
        {
            j.WriteStartObject("_id");
            j.WriteString("$oid", round.Id);
            j.WriteEndObject();
        }
        j.WriteString("course", round.Course);
        j.WriteString("device", round.Device);
        WriteDate("startTime", round.Start);
        WriteDate("endTime", round.End);
        j.WriteNumber("startHole", round.StartHole);
        j.WriteNumber("startSection", round.StartSection);
        j.WriteNumber("endSection", round.EndSection);
        j.WriteBoolean("isNineHole", round.IsNineHole);
        j.WriteNumber("currentNine", round.CurrentNine);
        j.WriteNumber("goalTime", round.GoalTime);
        j.WriteString("goalName", round.GoalName);
        j.WriteNumber("goalTimeFraction", round.GoalTimeFraction);
        j.WriteBoolean("complete", round.Complete);
        j.WriteBoolean("isIncomplete", !round.Complete);
        j.WriteBoolean("isSecondary", round.IsSecondary);
        j.WriteBoolean("isAutoAssigned", round.IsAutoAssigned);
        WriteDate("firstFix", round.Start);
        WriteDate("lastFix", round.End);
        j.WriteNumber("currentHole", round.CurrentHole);
        j.WriteNumber("currentHoleSection", round.CurrentHoleSection);
        j.WriteNumber("__v", round.Version);
        if (round.CaptureLogs is not null)
        {
            j.WritePropertyName("captureLogs");
            j.WriteRawValue(round.CaptureLogs);
        }
        j.WriteStartArray("locations");
        foreach (var l in round.Locations)
        {
            j.WriteStartObject();
            j.WriteNumber("hole", l.Hole);
            j.WriteNumber("holeSection", l.HoleSection);
            j.WriteNumber("sectionNumber", l.SectionNumber);
            if (l.StartSeconds is { } s) j.WriteNumber("startTime", s);
            j.WriteStartArray("fixCoordinates");
            j.WriteNumberValue(l.Longitude);
            j.WriteNumberValue(l.Latitude);
            j.WriteEndArray();
            j.WriteNumber("pace", l.Pace);
            j.WriteNumber("paceGap", l.PaceGap);
            j.WriteNumber("positionalGap", l.PositionalGap);
            if (l.BatteryMalformed) j.WriteString("batteryPercentage", SampleText.Malformed);
            else j.WriteNumber("batteryPercentage", l.Battery);
            j.WriteBoolean("isProjected", l.IsProjected);
            j.WriteBoolean("isProblem", l.IsProblem);
            j.WriteBoolean("isCache", l.IsCache);
            j.WriteBoolean("heldUp", l.HeldUp);
            j.WriteBoolean("holdingUp", l.HoldingUp);
            if (l.Date is { } d) WriteDate("date", d);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
        j.Flush();
        _file.WriteByte((byte)'\n'); // one round per line, as mongoexport writes it
    }

    private void WriteDate(string name, DateTime utc)
    {
        _json.WriteStartObject(name);
        Span<byte> iso = stackalloc byte[SampleText.IsoLength];
        _json.WriteString("$date"u8, iso[..SampleText.Iso(utc, iso)]);
        _json.WriteEndObject();
    }

    public void Dispose()
    {
        _json.WriteEndArray();
        _json.Flush();
        _json.Dispose();
        _file.Dispose();
    }
}
