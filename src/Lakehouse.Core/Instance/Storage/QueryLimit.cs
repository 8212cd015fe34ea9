namespace Lakehouse.Core.Instance.Storage;

/// <summary>Checks a read's row limit, which the databases would otherwise read differently (SQLite takes a negative limit as none).</summary>
internal static class QueryLimit
{
    public static int Check(int limit, string what) =>
        limit >= 1 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, $"{what}: the limit must be at least 1, not {limit}.");
}
