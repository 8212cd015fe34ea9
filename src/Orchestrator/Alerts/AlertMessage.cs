using System.Text.Json;
using System.Text.Json.Serialization;

namespace TmLakehouse.Orchestrator.Alerts;

/// <summary>The JSON a webhook receives for a failed run.</summary>
public sealed record AlertMessage(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("selection")] string Selection,
    [property: JsonPropertyName("partitions")] IReadOnlyList<string> Partitions,
    [property: JsonPropertyName("failed_steps")] IReadOnlyList<string> FailedSteps,
    [property: JsonPropertyName("first_error")] string? FirstError,
    [property: JsonPropertyName("dashboard_link")] string DashboardLink,
    [property: JsonPropertyName("ended_at")] DateTimeOffset? EndedAt)
{
    [JsonPropertyName("text")]
    public string Text => $"Run {RunId} ({Selection}) failed: {(FailedSteps.Count == 0 ? "no step failed" : string.Join(", ", FailedSteps))}" +
                          $"{(FirstError is null ? "" : " — " + FirstError)} {DashboardLink}";

    public string ToJson() => JsonSerializer.Serialize(this);
}
