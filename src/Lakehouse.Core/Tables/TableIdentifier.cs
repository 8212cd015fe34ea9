namespace Lakehouse.Core.Tables;

/// <summary>A table's namespace (its layer: silver, gold) and name.</summary>
public sealed record TableIdentifier(string Namespace, string Name)
{
    public static TableIdentifier Parse(string text)
    {
        var parts = text.Split('.', '/');
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw new FormatException($"'{text}' is not a table name: write namespace.table, e.g. silver.fact_telemetry_event.");
        return new TableIdentifier(parts[0], parts[1]);
    }

    public override string ToString() => $"{Namespace}.{Name}";
}
