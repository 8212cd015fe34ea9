namespace TmLakehouse.Assets.Gold;

/// <summary>The round_length rule of DATA_CONTRACT.md §4, checked in this order.</summary>
internal static class RoundLength
{
    public static string Of(int ninesPlayed, int? maxSection) =>
        ninesPlayed >= 3 || maxSection > 54 ? "27"
        : ninesPlayed == 2 || maxSection > 27 ? "18"
        : ninesPlayed == 1 ? "9"
        : "unknown";
}
