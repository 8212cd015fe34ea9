namespace Lakehouse.Core.Partitions;

internal static class SingleDimension
{
    /// <summary>Accepts a bare value or <c>dim=value</c> for a single-dimension definition.</summary>
    public static string Value(string dimension, string text)
    {
        text = text.Trim();
        if (text.Length == 0) throw new FormatException($"An empty partition key was given for dimension '{dimension}'.");
        if (!text.Contains('=')) return KeyPart.Check(dimension, text);
        var key = new PartitionKey(text).Dimensions;
        if (key.Count != 1 || !key.TryGetValue(dimension, out var v))
            throw new FormatException($"'{text}' does not name dimension '{dimension}', the only dimension of this asset.");
        if (v.Length == 0) throw new FormatException($"'{text}' gives no value for dimension '{dimension}'.");
        return KeyPart.Check(dimension, v);
    }
}
