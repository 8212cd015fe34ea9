using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// The failing tests of one model step as a quarantine report (the same bucket, format and pages as Silver's), at
/// <c>&lt;layer&gt;/model=&lt;name&gt;/course_id=&lt;id&gt;/run_id=&lt;run&gt;/report.json</c>: counts per test and the first failing rows.
/// </summary>
internal static class SqlModelReport
{
    public static async Task<string> WriteAsync(AssetExecutionContext context, SqlModel model, string? courseId, long rowsOut,
        IReadOnlyList<SqlModelTestOutcome> errors, IReadOnlyList<SqlModelTestOutcome> warnings, CancellationToken cancellationToken)
    {
        var partition = new Dictionary<string, string> { ["model"] = model.Table.Name };
        if (courseId is not null) partition[SqlModelAsset.CourseColumn] = courseId;
        var failed = errors.Concat(warnings).ToList();
        var report = new QuarantineReport
        {
            Layer = model.Table.Namespace,
            Asset = model.Key.Value,
            Step = context.Step.ToString(),
            RunId = context.RunId,
            Partition = partition,
            InputPaths = [model.File],
            StepFailed = errors.Count > 0,
            Error = string.Join("; ", failed.Select(o =>
                $"{(o.Test.Severity == AssetCheckSeverity.Error ? "error" : "warn")} test {o.Test.Name} ({o.Test.File} line {o.Test.Line}): {o.Description}")),
            RowsIn = rowsOut,
            RowsQuarantined = failed.Sum(o => o.FailingRows),
            ReasonCounts = failed.ToDictionary(o => o.Test.Name, o => o.FailingRows),
            SampleRows = failed.SelectMany(o => o.Samples.Select(row =>
                (IReadOnlyDictionary<string, System.Text.Json.JsonElement>)new Dictionary<string, System.Text.Json.JsonElement>(row)
                {
                    ["_test"] = System.Text.Json.JsonSerializer.SerializeToElement(o.Test.Name),
                })).ToList(),
            CreatedAt = context.Clock.GetUtcNow(),
        };
        return await new QuarantineWriter(context.Resources.Objects).WriteAsync(report, null, cancellationToken);
    }
}
