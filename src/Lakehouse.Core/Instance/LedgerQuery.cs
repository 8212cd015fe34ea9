namespace Lakehouse.Core.Instance;

/// <summary>Which ledger rows to list, newest first: every filter given must match.</summary>
public sealed record LedgerQuery
{
    public string? BatchId { get; init; }

    /// <summary>Rows whose key is this key or starts with it (a folder such as <c>course_id=erinhills/</c>).</summary>
    public string? KeyPrefix { get; init; }

    public string? Layer { get; init; }
    public string? RunId { get; init; }
    public int Limit { get; init; } = 100;
}
