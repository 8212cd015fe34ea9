namespace Lakehouse.Core.Instance;

/// <summary>The record of every alert delivery (migration 0017).</summary>
public interface IAlertStore
{
    Task AddDeliveryAsync(AlertDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The latest deliveries, of one run or (null) of all, newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> GetDeliveriesAsync(string? runId, int limit, CancellationToken cancellationToken);
}
