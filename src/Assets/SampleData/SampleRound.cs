namespace TmLakehouse.Assets.SampleData;

/// <summary>One generated round, reused between rounds to keep the generator allocation-light.</summary>
internal sealed class SampleRound
{
    public string? Id;
    public string Course = "";
    public string Device = "";
    public DateTime Start;
    public DateTime End;
    public int StartHole;
    public int StartSection;
    public int EndSection;
    public bool IsNineHole;
    public int CurrentNine;
    public double GoalTime;
    public string GoalName = "";
    public double GoalTimeFraction;
    public bool Complete;
    public bool IsSecondary;
    public bool IsAutoAssigned;
    public int CurrentHole;
    public int CurrentHoleSection;
    public int Version;
    public string? CaptureLogs;
    public readonly List<SampleLocation> Locations = new(128);
}

/// <summary>One section record of a generated round; null means the field is absent.</summary>
internal struct SampleLocation
{
    public int Hole;
    public int HoleSection;
    public int SectionNumber;
    public double? StartSeconds;
    public double Longitude;
    public double Latitude;
    public double Pace;
    public double PaceGap;
    public double PositionalGap;
    public double Battery;
    public bool BatteryMalformed;
    public bool IsProjected;
    public bool IsProblem;
    public bool IsCache;
    public bool HeldUp;
    public bool HoldingUp;
    public DateTime? Date;
}
