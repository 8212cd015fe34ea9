namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Compares partition tuples by value (byte arrays by content).</summary>
internal sealed class PartitionComparer : IEqualityComparer<object?[]>
{
    public static readonly PartitionComparer Instance = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (x is null || y is null) return x == y;
        if (x.Length != y.Length) return false;
        for (var i = 0; i < x.Length; i++)
            if (!IcebergValues.Equals(x[i], y[i])) return false;
        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var hash = new HashCode();
        foreach (var v in obj)
        {
            if (v is byte[] b) hash.AddBytes(b);
            else hash.Add(v);
        }
        return hash.ToHashCode();
    }
}
