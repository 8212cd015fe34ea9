namespace TmLakehouse.Assets.Silver;

/// <summary>Rates as people write them in messages: 12.34% (the invariant culture would write "12.34 %").</summary>
internal static class RateText
{
    public static string Percent(double rate, int decimals = 2) =>
        (rate * 100).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture) + "%";
}
