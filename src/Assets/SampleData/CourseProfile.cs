namespace TmLakehouse.Assets.SampleData;

/// <summary>How one course's exports look: where it is, how many holes, and which quirks its exports carry.</summary>
internal sealed record CourseProfile(
    string Id,
    double Latitude,
    double Longitude,
    int Holes,
    bool HasGaps,
    bool HasCaptureLogs,
    bool HasFixDate,
    bool LowBattery,
    double ShotgunRate,
    int RoundColumnsAfterSlots)
{
    public static IReadOnlyList<CourseProfile> All { get; } =
    [
        // American Falls, Idaho: longitude beyond ±90, so a swapped pair is detectable; old devices, low batteries.
        new("americanfalls", 42.7802, -112.8547, 18, HasGaps: true, HasCaptureLogs: true, HasFixDate: false, LowBattery: true, ShotgunRate: 0.05, RoundColumnsAfterSlots: 0),
        // Bradshaw Farm, Georgia: 27 holes, so the widest rounds need 81+ location slots.
        new("bradshawfarmgc", 34.1209, -84.4741, 27, HasGaps: true, HasCaptureLogs: false, HasFixDate: true, LowBattery: false, ShotgunRate: 0.08, RoundColumnsAfterSlots: 3),
        new("erinhills", 43.2377, -88.3669, 18, HasGaps: true, HasCaptureLogs: false, HasFixDate: true, LowBattery: false, ShotgunRate: 0.25, RoundColumnsAfterSlots: 6),
        // Indian Creek, Nebraska: an older export without paceGap/positionalGap, with verbose capture logs.
        new("indiancreek", 41.2970, -96.2390, 18, HasGaps: false, HasCaptureLogs: true, HasFixDate: false, LowBattery: false, ShotgunRate: 0.10, RoundColumnsAfterSlots: 24),
        new("pinehurst4", 35.1916, -79.4695, 18, HasGaps: true, HasCaptureLogs: false, HasFixDate: false, LowBattery: false, ShotgunRate: 0.10, RoundColumnsAfterSlots: 0),
    ];

    public bool SwapDetectable => Math.Abs(Longitude) > 90;

    public static CourseProfile Get(string id) =>
        All.FirstOrDefault(c => c.Id == id)
        ?? throw new ArgumentException($"Unknown sample course '{id}'; known: {string.Join(", ", All.Select(c => c.Id))}.", nameof(id));
}
