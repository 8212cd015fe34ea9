using System.Text.Json;

namespace TmLakehouse.Bench;

/// <summary>What one side of the Silver benchmark measured in its own process, passed to the parent as one tagged JSON line.</summary>
internal sealed record SideResult(string Side, double Seconds, long RowsIn, long RowsOut, long BytesIn, long PeakRssBytes)
{
    public const string Tag = "BENCH-RESULT ";

    public Dictionary<string, double> Phases { get; init; } = [];
    public string? Note { get; init; }

    public double RowsPerSecond => RowsIn / Seconds;
    public double MegabytesPerSecond => BytesIn / 1e6 / Seconds;
    public double PeakRssMegabytes => PeakRssBytes / 1048576.0;

    public void Print() => Console.WriteLine(Tag + JsonSerializer.Serialize(this));

    public static SideResult? Parse(string line) =>
        line.StartsWith(Tag, StringComparison.Ordinal) ? JsonSerializer.Deserialize<SideResult>(line[Tag.Length..]) : null;

    /// <summary>This process's peak resident set (VmHWM in /proc/self/status), in bytes.</summary>
    public static long PeakRss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException("/proc/self/status has no VmHWM line");
    }

    /// <summary>Resets this process's peak resident set to its current one (Linux: 5 into /proc/self/clear_refs), so the next phase's peak is its own.</summary>
    public static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");
}
