using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Assets.Tests.Silver;

/// <summary>
/// A deliberately naive, independent reading of DATA_CONTRACT §3 for small files: whole-file parsing, dictionaries of strings,
/// LINQ grouping for dedup. The streaming transform's counts must equal these.
/// </summary>
internal static partial class ReferenceSilver
{
    public sealed record Expected(long RowsIn, long Padding, long Quarantined, long Deduplicated, long RowsOut, long TimestampMissing,
        long CourseMismatch, long Swapped, long DeviceHealth, IReadOnlySet<(string RoundId, int Index)> Keys,
        IReadOnlyDictionary<(string RoundId, int Index), (bool? IsCache, double? Battery)> Winners);

    private sealed record Slot(int Index, Dictionary<string, string> Fields);
    private sealed record Round(Dictionary<string, string> Fields, List<Slot> Slots, int Padding);

    [GeneratedRegex(@"^locations\[(\d+)\]\.(.+)$")]
    private static partial Regex SlotHeader();

    public static Expected Compute(IEnumerable<string> paths, string courseId)
    {
        var rounds = paths.SelectMany(p => File.ReadAllText(p).TrimStart().StartsWith('[') ? ReadJson(p) : ReadCsv(p)).ToList();
        var rows = new List<(Round Round, Slot Slot, int Order)>();
        var order = 0;
        foreach (var r in rounds) foreach (var s in r.Slots) rows.Add((r, s, order++));
        double? D(Dictionary<string, string> f, string k) =>
            f.TryGetValue(k, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        // DATA_CONTRACT §3 spellings: true/false in any case, or 1/0; anything else is malformed.
        bool? B(Dictionary<string, string> f, string k) => f.GetValueOrDefault(k)?.ToLowerInvariant() switch { "true" or "1" => true, "false" or "0" => false, _ => null };
        string? Id(Round r) => r.Fields.GetValueOrDefault("_id") is { Length: > 0 } id ? id : null;

        bool OutOfRange((Round Round, Slot Slot, int) x) =>
            Id(x.Round) is null || D(x.Slot.Fields, "fixCoordinates[1]") is < -90 or > 90 || D(x.Slot.Fields, "fixCoordinates[0]") is < -180 or > 180;
        // Dedup first, over every row with a round id; then the winners outside the globe, and the rows without an id, are quarantined.
        var withId = rows.Where(x => Id(x.Round) is not null).ToList();
        var fixes = withId.GroupBy(x => (Id(x.Round)!, x.Slot.Index))
            .Select(g => g.OrderByDescending(x => B(x.Slot.Fields, "isCache") == true)
                .ThenByDescending(x => B(x.Slot.Fields, "isProjected") == false)
                .ThenByDescending(x => D(x.Slot.Fields, "batteryPercentage") ?? double.NegativeInfinity)
                .ThenBy(x => x.Order).First())
            .Concat(rows.Where(x => Id(x.Round) is null))
            .ToList();
        var quarantined = fixes.Where(OutOfRange).ToList();
        var winners = fixes.Where(x => !OutOfRange(x)).ToList();
        bool HasTimestamp((Round Round, Slot Slot, int) x) =>
            !string.IsNullOrEmpty(x.Slot.Fields.GetValueOrDefault("date"))
            || (!string.IsNullOrEmpty(x.Round.Fields.GetValueOrDefault("startTime")) && D(x.Slot.Fields, "startTime") is not null);
        return new Expected(
            RowsIn: rows.Count,
            Padding: rounds.Sum(r => r.Padding),
            Quarantined: quarantined.Count,
            Deduplicated: rows.Count - fixes.Count,
            RowsOut: winners.Count,
            TimestampMissing: winners.Count(x => !HasTimestamp(x)),
            CourseMismatch: winners.Count(x => x.Round.Fields.GetValueOrDefault("course") is { Length: > 0 } c && c != courseId),
            Swapped: fixes.Count(x => D(x.Slot.Fields, "fixCoordinates[1]") is { } lat && Math.Abs(lat) > 90 && D(x.Slot.Fields, "fixCoordinates[0]") is { } lon && Math.Abs(lon) <= 90),
            DeviceHealth: rounds.Where(r => Id(r) is not null && !string.IsNullOrEmpty(r.Fields.GetValueOrDefault("captureLogs"))).Select(Id).Distinct().Count(),
            Keys: winners.Select(x => (Id(x.Round)!, x.Slot.Index)).ToHashSet(),
            Winners: winners.ToDictionary(x => (Id(x.Round)!, x.Slot.Index), x => (B(x.Slot.Fields, "isCache"), D(x.Slot.Fields, "batteryPercentage"))));
    }

    private static IEnumerable<Round> ReadCsv(string path)
    {
        var records = ParseCsv(File.ReadAllText(path));
        var header = records[0];
        foreach (var record in records.Skip(1))
        {
            var fields = new Dictionary<string, string>();
            var slots = new SortedDictionary<int, Dictionary<string, string>>();
            for (var c = 0; c < header.Count; c++)
            {
                var m = SlotHeader().Match(header[c]);
                if (m.Success)
                {
                    var i = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    if (!slots.TryGetValue(i, out var slot)) slots[i] = slot = new();
                    slot[m.Groups[2].Value] = record[c];
                }
                else fields[header[c]] = record[c];
            }
            var present = slots.Where(s => s.Value.Values.Any(v => v.Length > 0)).Select(s => new Slot(s.Key, s.Value)).ToList();
            yield return new Round(fields, present, slots.Count - present.Count);
        }
    }

    /// <summary>RFC 4180 the slow, obvious way: a character at a time over the whole text.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n')
            {
                record.Add(field.ToString()); field.Clear();
                records.Add(record); record = [];
            }
            else if (ch != '\r') field.Append(ch);
        }
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        return records;
    }

    private static IEnumerable<Round> ReadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            var fields = new Dictionary<string, string>();
            var slots = new List<Slot>();
            foreach (var p in element.EnumerateObject())
            {
                if (p.Name == "locations")
                {
                    var index = 0;
                    foreach (var loc in p.Value.EnumerateArray())
                    {
                        var f = new Dictionary<string, string>();
                        foreach (var lp in loc.EnumerateObject())
                        {
                            if (lp.Name == "fixCoordinates")
                            {
                                f["fixCoordinates[0]"] = lp.Value[0].GetRawText();
                                f["fixCoordinates[1]"] = lp.Value[1].GetRawText();
                            }
                            else f[lp.Name] = Text(lp.Value);
                        }
                        slots.Add(new Slot(index++, f));
                    }
                }
                else fields[p.Name] = p.Name == "captureLogs" ? p.Value.GetRawText() : Text(p.Value);
            }
            yield return new Round(fields, slots, 0);
        }
    }

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => Text(v.EnumerateObject().First().Value), // {"$oid": ..} / {"$date": ..}
        _ => v.GetRawText(),
    };
}
