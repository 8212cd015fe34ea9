using Lakehouse.Core.Instance.Storage;

namespace Lakehouse.Core.Instance.Sql;

/// <summary>Alert deliveries (migration 0017).</summary>
internal sealed class SqlAlertStore(SqlDialect dialect) : IAlertStore
{
    public async Task AddDeliveryAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.BeginWriteAsync(dialect, cancellationToken);
        session.Queue(new SqlStatement(
                "INSERT INTO alert_deliveries (run_id, webhook, attempts, status_code, succeeded, error, delivered_at) " +
                "VALUES (@run, @webhook, @attempts, @status, @succeeded, @error, @at);")
            .Text("run", delivery.RunId).Text("webhook", delivery.Webhook).Int("attempts", delivery.Attempts).Long("status", delivery.StatusCode)
            .Bool("succeeded", delivery.Succeeded).Text("error", delivery.Error).Time("at", delivery.DeliveredAt));
        await session.CommitAsync();
    }

    public async Task<IReadOnlyList<AlertDelivery>> GetDeliveriesAsync(string? runId, int limit, CancellationToken cancellationToken)
    {
        await using var session = await SqlSession.OpenAsync(dialect, cancellationToken);
        var read = SqlStatement.Read(
                "SELECT id, run_id, webhook, attempts, status_code, succeeded, error, delivered_at FROM alert_deliveries" +
                (runId is null ? "" : " WHERE run_id = @run") + " ORDER BY id DESC LIMIT @limit;")
            .Int("limit", QueryLimit.Check(limit, "Alert deliveries"));
        if (runId is not null) read.Text("run", runId);
        return await session.ListAsync(read, r => new AlertDelivery(r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetBoolean(5), dialect.ReadTime(r, 7))
        {
            Id = r.GetInt64(0),
            StatusCode = r.IsDBNull(4) ? null : r.GetInt32(4),
            Error = r.IsDBNull(6) ? null : r.GetString(6),
        });
    }
}
