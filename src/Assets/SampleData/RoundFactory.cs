using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TmLakehouse.Assets.SampleData;

/// <summary>
/// Generates round number i of a course from its own seed, so a round can be regenerated exactly (for its re-exported copy)
/// and its location count known up front (for the CSV width) without keeping rounds in memory.
/// </summary>
internal sealed class RoundFactory(CourseProfile course, int courseIndex, int seed, DateOnly ingestDate, int eventDays)
{
    public const double OutOfRangeRate = 0.008;
    public const double SwapRate = 0.006;
    public const double MissingTimestampRate = 0.02;
    public const double MalformedRate = 0.001;
    private const int SectionsPerHole = 3;
    private static readonly JsonWriterOptions LogJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly record struct Plan(int Holes, int StartHole, int Sections, int Extras, bool Shotgun, bool Complete)
    {
        public int Count => Sections + Extras;
    }

    public int LocationCount(int roundIndex) => DrawPlan(new Random(SeedOf(roundIndex))).Count;

    public void Fill(SampleRound round, int roundIndex, bool asCachedCopy)
    {
        var rng = new Random(SeedOf(roundIndex));
        var plan = DrawPlan(rng);
        var start = ingestDate.ToDateTime(new TimeOnly(0, 0), DateTimeKind.Utc)
            .AddDays(-rng.Next(1, eventDays + 1)).AddHours(rng.Next(11, 23)).AddMinutes(rng.Next(60)).AddSeconds(rng.Next(60));
        round.Id = rng.NextDouble() < 1.0 / 400 ? null : ObjectId(start, rng);
        round.Course = rng.NextDouble() < 1.0 / 300 ? course.Id + "_legacy" : course.Id;
        round.Device = $"TM-{rng.Next(0x1000, 0xFFFF):X4}";
        round.Start = start;
        round.StartHole = plan.StartHole;
        round.IsNineHole = plan.Holes == 9;
        round.Complete = plan.Complete;
        round.IsSecondary = rng.NextDouble() < 0.02;
        round.IsAutoAssigned = rng.NextDouble() < 0.3;
        round.GoalTime = plan.Holes * 850;
        round.GoalName = plan.Holes switch { 9 => "Nine 2:08", 27 => "Twenty-seven 6:22", _ => "Standard 4:15" };
        round.Version = rng.Next(0, 3);

        var battery = course.LowBattery ? 15 + rng.NextDouble() * 25 : 55 + rng.NextDouble() * 45;
        var drain = course.LowBattery ? 0.3 : 0.15;
        var seconds = 0.0;
        var pace = rng.NextDouble() * 120 - 60;
        var extrasLeft = plan.Extras;
        round.Locations.Clear();
        for (var k = 0; k < plan.Sections; k++)
        {
            var hole = (plan.StartHole - 1 + k / SectionsPerHole) % course.Holes + 1;
            var holeSection = k % SectionsPerHole + 1;
            var repeats = 1 + (extrasLeft > 0 && rng.NextDouble() < 0.2 ? 1 : 0);
            extrasLeft -= repeats - 1;
            if (k == plan.Sections - 1) { repeats += extrasLeft; extrasLeft = 0; }
            for (var r = 0; r < repeats; r++)
            {
                seconds += r == 0 ? Math.Max(40, 270 + Normal(rng) * 70) : 15 + rng.NextDouble() * 30;
                pace += Normal(rng) * 12;
                battery = Math.Max(1, battery - drain * rng.NextDouble() * 2);
                round.Locations.Add(Location(rng, start, hole, holeSection, Math.Round(seconds, 1), pace, battery, projected: r > 0, asCachedCopy));
            }
        }

        var last = round.Locations[^1];
        round.End = start.AddSeconds(Math.Round(seconds) + 30);
        round.StartSection = round.Locations[0].SectionNumber;
        round.EndSection = last.SectionNumber;
        round.CurrentHole = last.Hole;
        round.CurrentHoleSection = last.HoleSection;
        round.CurrentNine = (last.SectionNumber - 1) / 27 + 1;
        round.GoalTimeFraction = Math.Round(seconds / round.GoalTime, 4);
        round.CaptureLogs = course.HasCaptureLogs && rng.NextDouble() < 0.6 ? CaptureLogs(rng, round) : null;
    }

    private Plan DrawPlan(Random rng)
    {
        var holes = course.Holes == 27
            ? rng.NextDouble() switch { < 0.1 => 9, < 0.4 => 18, _ => 27 }
            : rng.NextDouble() < 0.2 ? 9 : 18;
        var shotgun = rng.NextDouble() < course.ShotgunRate;
        var startHole = shotgun ? rng.Next(2, course.Holes + 1) : holes == 9 && rng.NextDouble() < 0.5 ? 10 : 1;
        var complete = rng.NextDouble() < 0.85;
        var sections = holes * SectionsPerHole;
        if (!complete) sections = rng.Next(Math.Min(18, sections - 1), sections);
        var extras = rng.NextDouble() < 0.3 ? rng.Next(0, 6) : 0;
        return new Plan(holes, startHole, sections, extras, shotgun, complete);
    }

    public static bool IsShotgun(SampleRound round) => round.StartHole != 1 && !(round.IsNineHole && round.StartHole == 10);

    private SampleLocation Location(Random rng, DateTime start, int hole, int holeSection, double seconds, double pace, double battery, bool projected, bool asCachedCopy)
    {
        var (lat, lon) = Position(rng, hole, holeSection);
        var location = new SampleLocation
        {
            Hole = hole,
            HoleSection = holeSection,
            SectionNumber = (hole - 1) * SectionsPerHole + holeSection,
            StartSeconds = seconds,
            Latitude = lat,
            Longitude = lon,
            Pace = Math.Round(pace, 1),
            PaceGap = Math.Round(Math.Abs(Normal(rng)) * 45, 1),
            PositionalGap = Math.Round(rng.NextDouble() * 2, 2),
            Battery = Math.Round(battery),
            IsProjected = projected || rng.NextDouble() < 0.04,
            IsProblem = rng.NextDouble() < 0.02,
            IsCache = rng.NextDouble() < 0.03 || asCachedCopy, // draw first: the copy must consume the same random numbers
            HeldUp = rng.NextDouble() < 0.05,
            HoldingUp = rng.NextDouble() < 0.05,
        };
        var quirk = rng.NextDouble();
        if (quirk < OutOfRangeRate)
            location.Longitude = Math.Round(lon + 360, 6); // a GPS that wrapped: longitude beyond ±180
        else if ((quirk -= OutOfRangeRate) < SwapRate && course.SwapDetectable)
            (location.Latitude, location.Longitude) = (lon, lat);
        else if ((quirk -= SwapRate) < MissingTimestampRate)
            location.StartSeconds = null;
        else if ((quirk -= MissingTimestampRate) < MalformedRate)
            location.BatteryMalformed = true;
        // The fix date (the device clock, a little off the section start) is written only where the section start is known.
        if (course.HasFixDate && location.StartSeconds is { } sec && rng.NextDouble() < 0.9)
            location.Date = start.AddSeconds(sec).AddMilliseconds(rng.Next(0, 1000));
        return location;
    }

    private (double Lat, double Lon) Position(Random rng, int hole, int holeSection)
    {
        var (centerLat, centerLon) = SectionCenter(course, hole, holeSection);
        var lat = centerLat + (rng.NextDouble() - 0.5) * 2 * LatitudeJitter;
        var lon = centerLon + (rng.NextDouble() - 0.5) * 2 * LongitudeJitter;
        return (Math.Round(lat, 6), Math.Round(lon, 6));
    }

    /// <summary>How far a fix strays from its section's centre (degrees): the section polygons are wider than this.</summary>
    internal const double LatitudeJitter = 0.00015, LongitudeJitter = 0.0002;

    internal const int SectionsOfHole = SectionsPerHole;

    /// <summary>Where a section of a hole lies: holes on a ring around the course, each hole's sections one behind the other.</summary>
    internal static (double Lat, double Lon) SectionCenter(CourseProfile course, int hole, int holeSection)
    {
        var angle = 2 * Math.PI * (hole - 1) / course.Holes;
        var radius = 0.004 + 0.0015 * (holeSection - 2);
        return (course.Latitude + radius * Math.Sin(angle), course.Longitude + radius * 1.3 * Math.Cos(angle));
    }

    private static string CaptureLogs(Random rng, SampleRound round)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, LogJson))
        {
            json.WriteStartArray();
            var entries = rng.Next(1, 5);
            for (var e = 0; e < entries; e++)
            {
                json.WriteStartObject();
                json.WriteString("t", round.Start.AddMinutes(e * 37).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
                json.WriteString("level", e == 0 ? "info" : "warn");
                json.WriteString("msg", rng.Next(3) switch
                {
                    0 => $"battery low, {rng.Next(5, 20)}% left",
                    1 => "GPS \"fix\" lost, retrying",
                    _ => "upload queued, offline",
                });
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        // Some devices pretty-print their logs: a CSV cell with line breaks inside quotes.
        return rng.NextDouble() < 0.2 ? text.Replace("},{", "},\n{", StringComparison.Ordinal) : text;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static string ObjectId(DateTime start, Random rng)
    {
        Span<byte> bytes = stackalloc byte[12];
        var epoch = (uint)(start - DateTime.UnixEpoch).TotalSeconds;
        bytes[0] = (byte)(epoch >> 24); bytes[1] = (byte)(epoch >> 16); bytes[2] = (byte)(epoch >> 8); bytes[3] = (byte)epoch;
        rng.NextBytes(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }

    private int SeedOf(int roundIndex)
    {
        // SplitMix64 over (seed, course, round): stable across processes, unlike HashCode.
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)courseIndex * 0xBF58476D1CE4E5B9UL + (ulong)roundIndex * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
