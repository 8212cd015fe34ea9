using System.Globalization;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Sensors;

namespace TmLakehouse.Orchestrator.Alerts;

/// <summary>
/// The built-in run-failure sensor: for every run that failed since its cursor it posts an <see cref="AlertMessage"/> to each
/// webhook of TM_ALERT_WEBHOOKS and records each delivery. The cursor is the (end time, run id) of the last run alerted, so each
/// failure is alerted once; its first tick starts watching from then, so history is not replayed.
/// </summary>
/// <remarks>A delivery that still fails after its retries is recorded and fails the tick; the cursor moves on, so one dead receiver does not hold the others' alerts back.</remarks>
public sealed class RunFailureSensor(IReadOnlyList<string> webhooks, string dashboardUrl, WebhookSender sender)
{
    public const string Name = "run_failure_alerts";
    private const int MostRunsPerTick = 500;

    public SensorDefinition Definition => new(Name, TimeSpan.FromSeconds(30), EvaluateAsync)
    {
        // Deliveries with retries and timeouts may take a while: the default lease is renewed meanwhile.
        Description = $"Posts each failed run (id, selection, failed steps, first error, link) to the {webhooks.Count} webhook(s) of TM_ALERT_WEBHOOKS.",
    };

    private async Task<SensorResult> EvaluateAsync(SensorContext context, CancellationToken cancellationToken)
    {
        var instance = context.Resources.Instance;
        if (ParseCursor(context.Cursor) is not { } after)
            return SensorResult.Skip("watching for runs that fail from now on", FormatCursor(context.Clock.GetUtcNow(), ""));
        var failed = (await instance.Runs.ListRunsAsync(new RunQuery { Status = RunStatus.Failed, Limit = MostRunsPerTick }, cancellationToken))
            .Where(r => r.EndedAt is { } ended && Compare((ended, r.RunId), after) > 0)
            .OrderBy(r => r.EndedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        if (failed.Count == 0) return SensorResult.Skip("no run failed since the last tick");
        if (context.DryRun) return SensorResult.Skip($"would alert {failed.Count} failed run(s): {string.Join(", ", failed.Select(r => r.RunId))}");

        var errors = new List<string>();
        var delivered = 0;
        foreach (var run in failed)
        {
            var json = (await MessageAsync(instance, run, cancellationToken)).ToJson();
            foreach (var url in webhooks)
            {
                var outcome = await sender.PostAsync(url, json, cancellationToken);
                var origin = WebhookSender.OriginOf(url);
                await instance.Alerts.AddDeliveryAsync(new AlertDelivery(run.RunId, origin, outcome.Attempts, outcome.Succeeded, context.Clock.GetUtcNow())
                {
                    StatusCode = outcome.StatusCode, Error = outcome.Error,
                }, CancellationToken.None);
                if (outcome.Succeeded) delivered++;
                else errors.Add($"alert for run {run.RunId} to {origin} failed after {outcome.Attempts} attempt(s): {outcome.Error}");
            }
        }
        var last = failed[^1];
        return new SensorResult
        {
            SkipReason = $"alerted {failed.Count} failed run(s): {delivered} of {failed.Count * webhooks.Count} deliveries succeeded",
            Cursor = FormatCursor(last.EndedAt!.Value, last.RunId),
            Errors = errors,
        };
    }

    private async Task<AlertMessage> MessageAsync(LakehouseInstance instance, RunRecord run, CancellationToken cancellationToken)
    {
        var steps = await instance.Runs.GetStepsAsync(run.RunId, cancellationToken);
        var failedSteps = steps.Where(s => s.Status == StepStatus.Failed).OrderBy(s => s.EndedAt ?? DateTimeOffset.MaxValue).ToList();
        var firstError = failedSteps.Select(s => s.Error).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e));
        if (firstError is null && failedSteps.Count == 0)
            firstError = (await instance.Events.QueryAsync(new EventQuery { RunId = run.RunId, Types = [Lakehouse.Core.Instance.EventType.RunFailed], Limit = 1 }, cancellationToken))
                .FirstOrDefault()?.Message;
        return new AlertMessage(run.RunId, run.Selection, run.Partitions, failedSteps.Select(s => s.Key.ToString()).ToList(), firstError,
            $"{dashboardUrl.TrimEnd('/')}/runs/{Uri.EscapeDataString(run.RunId)}", run.EndedAt);
    }

    private static int Compare((DateTimeOffset At, string RunId) a, (DateTimeOffset At, string RunId) b)
    {
        var byTime = a.At.CompareTo(b.At);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.RunId, b.RunId);
    }

    private static string FormatCursor(DateTimeOffset at, string runId) => $"{at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}|{runId}";

    private static (DateTimeOffset, string)? ParseCursor(string? cursor)
    {
        if (cursor is null) return null;
        var bar = cursor.IndexOf('|');
        return bar > 0 && DateTimeOffset.TryParse(cursor[..bar], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? (at, cursor[(bar + 1)..]) : null;
    }
}
