using Lakehouse.Core.Tables;
using TmLakehouse.Assets.Silver;
using TmLakehouse.Assets.Tests.Fakes;

namespace TmLakehouse.Assets.Tests.Models;

/// <summary>One Silver fact_telemetry_event row as a test writes it (only the columns Gold reads, plus the required ones).</summary>
internal sealed record SilverFix(string RoundId, int LocationIndex, DateTimeOffset? Ts)
{
    public string CourseId { get; init; } = "erinhills";
    public DateOnly IngestDate { get; init; } = new(2025, 6, 1);
    public int? Hole { get; init; }
    public int? Nine { get; init; }
    public int? Section { get; init; }
    public int? StartHole { get; init; }
    public bool? IsNineHole { get; init; }
    public bool? IsComplete { get; init; }
    public double? Pace { get; init; }
    public double? PaceGap { get; init; }
    public double? PositionalGap { get; init; }
    public double? Battery { get; init; }
    public bool? IsProjected { get; init; }
    public bool? IsProblem { get; init; }
    public bool? IsCache { get; init; }

    public IReadOnlyDictionary<string, object?> ToRow() => new Dictionary<string, object?>
    {
        ["round_id"] = RoundId,
        ["course_id"] = CourseId,
        ["ingest_date"] = IngestDate,
        ["location_index"] = LocationIndex,
        ["fix_timestamp"] = Ts,
        ["hole_number"] = Hole,
        ["nine_number"] = Nine,
        ["section_number"] = Section,
        ["start_hole"] = StartHole,
        ["is_nine_hole"] = IsNineHole,
        ["is_complete"] = IsComplete,
        ["pace"] = Pace,
        ["pace_gap"] = PaceGap,
        ["positional_gap"] = PositionalGap,
        ["battery_percentage"] = Battery,
        ["is_projected"] = IsProjected,
        ["is_problem"] = IsProblem,
        ["is_cache"] = IsCache,
        ["is_timestamp_missing"] = Ts is null,
    };

    /// <summary>Appends each group as its own batch (its own data file) of the Silver table.</summary>
    public static async Task WriteAsync(ITableCatalog tables, IEnumerable<IEnumerable<SilverFix>> batches)
    {
        var table = await tables.CreateOrLoadAsync(SilverTables.TelemetryEvent, CancellationToken.None);
        foreach (var batch in batches)
        {
            await using var writer = table.NewAppend();
            await writer.WriteAsync(ArrowValues.Batch(table.ArrowSchema, batch.Select(f => f.ToRow()).ToList()), CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }
    }
}
