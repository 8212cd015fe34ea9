namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Which of two copies of one (round_id, location_index) Gold keeps (DATA_CONTRACT.md §4): the copy Silver's dedup rule prefers
/// (is_cache true, then is_projected false, then the higher battery) and, on a tie, the copy of the later ingest.
/// </summary>
internal static class FixPreference
{
    /// <summary>True when <paramref name="candidate"/> (landed on <paramref name="candidateDay"/>) beats the copy kept so far.</summary>
    public static bool Beats(in TelemetryFix candidate, int candidateDay, in TelemetryFix kept, int keptDay)
    {
        var (rank, keptRank) = (RankOf(candidate), RankOf(kept));
        if (rank != keptRank) return rank > keptRank;
        var (battery, keptBattery) = (candidate.Battery ?? double.NegativeInfinity, kept.Battery ?? double.NegativeInfinity);
        if (battery != keptBattery) return battery > keptBattery;
        return candidateDay > keptDay;
    }

    // A null flag is neither true nor false, so it never counts in a copy's favour (as in Silver's dedup).
    private static int RankOf(in TelemetryFix fix) => (fix.IsCache == true ? 2 : 0) + (fix.IsProjected == false ? 1 : 0);
}
