using System.Text;

namespace TmLakehouse.Bench;

/// <summary>
/// Generates DuckDB SQL for the Silver wide-to-long transform from each file's own header (any column order, any slot count,
/// missing fields as NULL), so DuckDB does the same work as SilverTransform: unpivot, skip padding, cast, dedup, quarantine.
/// </summary>
internal static class DuckDbSilverSql
{
    /// <summary>Round-level fields: export name → the name the long rows carry.</summary>
    private static readonly (string Export, string Column)[] RoundFields =
    [
        ("_id", "round_id"), ("course", "course"), ("device", "device"), ("startTime", "start_time"), ("endTime", "end_time"),
        ("startHole", "start_hole"), ("startSection", "start_section"), ("endSection", "end_section"), ("isNineHole", "is_nine_hole"),
        ("currentNine", "current_nine"), ("goalTime", "goal_time"), ("goalName", "goal_name"), ("goalTimeFraction", "goal_time_fraction"),
        ("complete", "complete"), ("isIncomplete", "is_incomplete"), ("isSecondary", "is_secondary"), ("isAutoAssigned", "is_auto_assigned"),
    ];

    /// <summary>Per-slot fields: the part after <c>locations[i].</c> → the long column name.</summary>
    private static readonly (string Export, string Column)[] SlotFields =
    [
        ("hole", "l_hole"), ("holeSection", "l_hole_section"), ("sectionNumber", "l_section_number"), ("startTime", "l_start"),
        ("fixCoordinates[0]", "l_lon"), ("fixCoordinates[1]", "l_lat"), ("pace", "l_pace"), ("paceGap", "l_pace_gap"),
        ("positionalGap", "l_positional_gap"), ("batteryPercentage", "l_battery"), ("isProjected", "l_is_projected"),
        ("isProblem", "l_is_problem"), ("isCache", "l_is_cache"), ("heldUp", "l_held_up"), ("holdingUp", "l_holding_up"), ("date", "l_date"),
    ];

    /// <summary>One CSV file as long rows (all VARCHAR): a read_csv of every column as c0..cN, then one SELECT per slot, UNION ALL.</summary>
    public static string CsvLong(string path, IReadOnlyList<string> header)
    {
        var roundColumn = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var slots = new SortedDictionary<int, Dictionary<string, int>>();
        for (var c = 0; c < header.Count; c++)
        {
            var name = StripExtended(header[c].Trim());
            if (TrySlot(name, out var slot, out var field))
            {
                if (!slots.TryGetValue(slot, out var fields)) slots[slot] = fields = new(StringComparer.OrdinalIgnoreCase);
                fields.TryAdd(field, c);
            }
            else roundColumn.TryAdd(name, c);
        }
        if (!roundColumn.ContainsKey("_id")) throw new InvalidDataException($"{path}: header has no _id column");
        var columns = string.Join(", ", header.Select((_, c) => $"'c{c}': 'VARCHAR'"));
        var source = $"read_csv({Literal(path)}, header = true, delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})";
        var round = string.Join(", ", RoundFields.Select(r => (roundColumn.TryGetValue(r.Export, out var c) ? $"c{c}" : "NULL::VARCHAR") + $" AS {r.Column}"));
        var sql = new StringBuilder();
        foreach (var (slot, fields) in slots)
        {
            if (sql.Length > 0) sql.Append("\nUNION ALL ");
            var values = SlotFields.Select(f => fields.TryGetValue(f.Export, out var c) ? $"c{c}" : "NULL::VARCHAR").ToList();
            sql.Append($"SELECT {round}, {slot} AS location_index, ")
               .Append(string.Join(", ", values.Zip(SlotFields, (v, f) => $"{v} AS {f.Column}")))
               .Append($" FROM f WHERE COALESCE({string.Join(", ", values.Where(v => v != "NULL::VARCHAR"))}) IS NOT NULL");
        }
        // Materialized: the file is parsed once, not once per slot.
        return $"(WITH f AS MATERIALIZED (SELECT * FROM {source})\n{sql})";
    }

    /// <summary>One MongoDB JSON export as long rows (all VARCHAR), unnesting <c>locations</c> with its index.</summary>
    public static string JsonLong(string path)
    {
        const string date = "STRUCT(\"$date\" VARCHAR)";
        var location = "STRUCT(hole VARCHAR, holeSection VARCHAR, sectionNumber VARCHAR, startTime VARCHAR, fixCoordinates VARCHAR[], pace VARCHAR, " +
                       "paceGap VARCHAR, positionalGap VARCHAR, batteryPercentage VARCHAR, isProjected VARCHAR, isProblem VARCHAR, isCache VARCHAR, " +
                       $"heldUp VARCHAR, holdingUp VARCHAR, date {date})[]";
        var columns = new List<string> { $"'_id': 'STRUCT(\"$oid\" VARCHAR)'", $"'startTime': '{date}'", $"'endTime': '{date}'", $"'locations': '{location}'" };
        columns.AddRange(RoundFields.Where(r => r.Export is not ("_id" or "startTime" or "endTime")).Select(r => $"'{r.Export}': 'VARCHAR'"));
        var source = $"read_json({Literal(path)}, format = 'array', columns = {{{string.Join(", ", columns)}}})";
        var round = string.Join(", ", RoundFields.Select(r => r.Export switch
        {
            "_id" => "_id.\"$oid\" AS round_id",
            "startTime" => "startTime.\"$date\" AS start_time",
            "endTime" => "endTime.\"$date\" AS end_time",
            _ => $"\"{r.Export}\" AS {r.Column}",
        }));
        var slot = string.Join(", ", SlotFields.Select(f => f.Export switch
        {
            "fixCoordinates[0]" => $"l.fixCoordinates[1] AS {f.Column}",
            "fixCoordinates[1]" => $"l.fixCoordinates[2] AS {f.Column}",
            "date" => $"l.date.\"$date\" AS {f.Column}",
            _ => $"l.\"{f.Export}\" AS {f.Column}",
        }));
        return $"(SELECT {round}, (i - 1)::INTEGER AS location_index, {slot} " +
               $"FROM (SELECT *, unnest(locations) AS l, unnest(range(1, len(locations) + 1)) AS i FROM {source}) u)";
    }

    /// <summary>The typed, quarantine-filtered, deduplicated Silver rows of one partition's long rows.</summary>
    public static string Silver(string longView, string courseId, DateOnly ingestDate) => $"""
        WITH typed AS (
            SELECT round_id, {Literal(courseId)} AS course_id, DATE '{ingestDate:yyyy-MM-dd}' AS ingest_date, location_index,
                   COALESCE(TRY_CAST(l_date AS TIMESTAMPTZ),
                            TRY_CAST(start_time AS TIMESTAMPTZ) + to_microseconds(CAST(round(TRY_CAST(l_start AS DOUBLE) * 1000000) AS BIGINT))) AS fix_timestamp,
                   TRY_CAST(l_hole AS INTEGER) AS hole_number, TRY_CAST(l_hole_section AS INTEGER) AS hole_section,
                   TRY_CAST(l_section_number AS INTEGER) AS section_number,
                   TRY_CAST(l_lon AS DOUBLE) AS longitude, TRY_CAST(l_lat AS DOUBLE) AS latitude,
                   TRY_CAST(l_pace AS DOUBLE) AS pace, TRY_CAST(l_pace_gap AS DOUBLE) AS pace_gap,
                   TRY_CAST(l_positional_gap AS DOUBLE) AS positional_gap, TRY_CAST(l_battery AS DOUBLE) AS battery_percentage,
                   TRY_CAST(l_is_projected AS BOOLEAN) AS is_projected, TRY_CAST(l_is_problem AS BOOLEAN) AS is_problem,
                   TRY_CAST(l_is_cache AS BOOLEAN) AS is_cache, TRY_CAST(l_held_up AS BOOLEAN) AS held_up,
                   TRY_CAST(l_holding_up AS BOOLEAN) AS holding_up,
                   TRY_CAST(start_time AS TIMESTAMPTZ) AS round_start_time, TRY_CAST(end_time AS TIMESTAMPTZ) AS round_end_time,
                   TRY_CAST(start_hole AS INTEGER) AS start_hole, TRY_CAST(start_section AS INTEGER) AS start_section,
                   TRY_CAST(end_section AS INTEGER) AS end_section, TRY_CAST(is_nine_hole AS BOOLEAN) AS is_nine_hole,
                   TRY_CAST(current_nine AS INTEGER) AS current_nine, TRY_CAST(goal_time AS DOUBLE) AS goal_time, goal_name,
                   TRY_CAST(goal_time_fraction AS DOUBLE) AS goal_time_fraction, TRY_CAST(complete AS BOOLEAN) AS is_complete,
                   TRY_CAST(is_incomplete AS BOOLEAN) AS is_incomplete, TRY_CAST(is_secondary AS BOOLEAN) AS is_secondary,
                   TRY_CAST(is_auto_assigned AS BOOLEAN) AS is_auto_assigned, device
            FROM {longView}
        ),
        ranked AS (
            -- DATA_CONTRACT §3: dedup first (prefer is_cache, then not projected, then higher battery), then quarantine the winners.
            SELECT *, ROW_NUMBER() OVER (PARTITION BY round_id, location_index
                                         ORDER BY (is_cache IS TRUE) DESC, (is_projected IS FALSE) DESC, battery_percentage DESC NULLS LAST) AS rn
            FROM typed
            WHERE round_id IS NOT NULL AND round_id <> ''
        ),
        kept AS (
            SELECT * FROM ranked
            WHERE rn = 1 AND (latitude IS NULL OR latitude BETWEEN -90 AND 90) AND (longitude IS NULL OR longitude BETWEEN -180 AND 180)
        )
        SELECT round_id, course_id, ingest_date, location_index, fix_timestamp,
               CAST(fix_timestamp AS DATE) AS event_date, year(fix_timestamp)::INTEGER AS event_year, month(fix_timestamp)::INTEGER AS event_month,
               hole_number, hole_section, section_number,
               CASE WHEN section_number IS NULL THEN NULL WHEN section_number <= 27 THEN 1 WHEN section_number <= 54 THEN 2 ELSE 3 END AS nine_number,
               longitude, latitude, pace, pace_gap, positional_gap, battery_percentage, is_projected, is_problem, is_cache, held_up, holding_up,
               fix_timestamp IS NULL AS is_timestamp_missing, round_start_time, round_end_time, start_hole, start_section, end_section,
               is_nine_hole, current_nine, goal_time, goal_name, goal_time_fraction, is_complete, is_incomplete, is_secondary, is_auto_assigned, device
        FROM kept
        """;

    /// <summary>The first record of a CSV file, split by RFC 4180 (quoted names may hold commas).</summary>
    public static List<string> ReadHeader(string path)
    {
        using var reader = new StreamReader(path);
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        while (reader.Read() is var ch and >= 0)
        {
            var c = (char)ch;
            if (quoted)
            {
                if (c != '"') current.Append(c);
                else if (reader.Peek() == '"') { reader.Read(); current.Append('"'); }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else if (c is '\n' or '\r') break;
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }

    private static string StripExtended(string name) =>
        name.EndsWith(".$oid", StringComparison.Ordinal) || name.EndsWith(".$date", StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : name;

    private static bool TrySlot(string name, out int slot, out string field)
    {
        slot = -1;
        field = "";
        const string prefix = "locations[";
        if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var close = name.IndexOf(']', prefix.Length);
        if (close < 0 || close + 1 >= name.Length || name[close + 1] != '.') return false;
        if (!int.TryParse(name.AsSpan(prefix.Length, close - prefix.Length), out slot)) return false;
        var part = StripExtended(name[(close + 2)..]);
        field = part;
        return SlotFields.Any(f => string.Equals(f.Export, part, StringComparison.OrdinalIgnoreCase));
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
