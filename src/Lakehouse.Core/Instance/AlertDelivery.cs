namespace Lakehouse.Core.Instance;

/// <summary>One alert sent (or not) to one webhook: the run it was about, the webhook's origin, attempts, the last HTTP status and error.</summary>
public sealed record AlertDelivery(string RunId, string Webhook, int Attempts, bool Succeeded, DateTimeOffset DeliveredAt)
{
    public long Id { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
}
