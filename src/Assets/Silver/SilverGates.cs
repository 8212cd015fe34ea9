using Lakehouse.Core.Config;

namespace TmLakehouse.Assets.Silver;

/// <summary>The thresholds that fail a Silver step (DATA_CONTRACT.md §3 "Gates").</summary>
public sealed record SilverGates(double MinTimestampRate = 0.95, double MaxQuarantineRate = 0.05, double MaxDuplicateRate = 0.20)
{
    public static SilverGates From(LakehouseOptions options) =>
        new(options.GateMinTimestampRate, options.GateMaxQuarantineRate, options.GateMaxDuplicateRate);

    public IReadOnlyDictionary<string, double> AsDictionary() => new Dictionary<string, double>
    {
        ["min_timestamp_rate"] = MinTimestampRate,
        ["max_quarantine_rate"] = MaxQuarantineRate,
        ["max_duplicate_rate"] = MaxDuplicateRate,
    };
}
