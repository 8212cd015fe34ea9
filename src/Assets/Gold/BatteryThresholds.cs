namespace TmLakehouse.Assets.Gold;

/// <summary>Battery levels of DATA_CONTRACT.md §4: below 20 % is low, below 10 % critical.</summary>
internal static class BatteryThresholds
{
    public const double Low = 20;
    public const double Critical = 10;

    /// <summary>The health_flag of a fix with a low battery.</summary>
    public static string FlagOf(double battery) => battery < Critical ? "battery_critical" : "battery_low";
}
