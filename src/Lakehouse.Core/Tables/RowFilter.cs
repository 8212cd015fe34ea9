namespace Lakehouse.Core.Tables;

/// <summary>
/// Rows whose columns equal the given values (AND). Values are CLR values of the column type:
/// string, long, int, double, bool, DateOnly, DateTimeOffset.
/// </summary>
public sealed record RowFilter(IReadOnlyDictionary<string, object> ColumnEquals)
{
    public static RowFilter All { get; } = new(new Dictionary<string, object>());

    public static RowFilter Where(params (string Column, object Value)[] terms) =>
        new(terms.ToDictionary(t => t.Column, t => t.Value));
}
