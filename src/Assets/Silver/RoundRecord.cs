namespace TmLakehouse.Assets.Silver;

/// <summary>One round as read from either format, reused from round to round; absent or malformed values are null.</summary>
internal sealed class RoundRecord
{
    /// <summary>Where the round is: the CSV line it starts on, or its 1-based position in a JSON array (<see cref="FromJson"/>).</summary>
    public long Line;
    public bool FromJson;
    public string? Id;
    public string? Course;
    public string? Device;
    public string? GoalName;
    public string? CaptureLogs;
    public int CaptureLogEntries;
    public long? StartTime;
    public long? EndTime;
    public int? StartHole;
    public int? StartSection;
    public int? EndSection;
    public int? CurrentNine;
    public bool? IsNineHole;
    public bool? IsComplete;
    public bool? IsIncomplete;
    public bool? IsSecondary;
    public bool? IsAutoAssigned;
    public double? GoalTime;
    public double? GoalTimeFraction;
    /// <summary>Slots whose every field was empty.</summary>
    public int PaddingSlots;
    public LocationRecord[] Locations = new LocationRecord[128];
    public int LocationCount;

    public void Reset()
    {
        Line = 0;
        FromJson = false;
        Id = Course = Device = GoalName = CaptureLogs = null;
        CaptureLogEntries = 0;
        StartTime = EndTime = null;
        StartHole = StartSection = EndSection = CurrentNine = null;
        IsNineHole = IsComplete = IsIncomplete = IsSecondary = IsAutoAssigned = null;
        GoalTime = GoalTimeFraction = null;
        PaddingSlots = 0;
        LocationCount = 0;
    }

    /// <summary>A cleared location at the end of the list.</summary>
    public ref LocationRecord AddLocation(int index)
    {
        if (LocationCount == Locations.Length) Array.Resize(ref Locations, Locations.Length * 2);
        ref var location = ref Locations[LocationCount++];
        location = default;
        location.Index = index;
        return ref location;
    }
}

/// <summary>One non-padding location slot of a round.</summary>
internal struct LocationRecord
{
    public int Index;
    public int? Hole;
    public int? HoleSection;
    public int? SectionNumber;
    public double? StartSeconds;
    public double? Longitude;
    public double? Latitude;
    public double? Pace;
    public double? PaceGap;
    public double? PositionalGap;
    public double? Battery;
    public bool? IsProjected;
    public bool? IsProblem;
    public bool? IsCache;
    public bool? HeldUp;
    public bool? HoldingUp;
    /// <summary>The fix's own date (µs since the epoch, UTC), when the export has one.</summary>
    public long? Date;
}
