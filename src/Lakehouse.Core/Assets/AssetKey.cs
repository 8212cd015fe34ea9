namespace Lakehouse.Core.Assets;

/// <summary>Identifies an asset by a slash-joined path such as <c>silver/fact_telemetry_event</c>.</summary>
public sealed record AssetKey : IComparable<AssetKey>
{
    public AssetKey(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException("An asset key cannot be empty.", nameof(value));
        var parts = value.Split('/');
        if (parts.Any(p => p.Length == 0 || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))))
            throw new ArgumentException($"'{value}' is not a valid asset key: use path parts of letters, digits, '_', '-' or '.', joined by '/'.", nameof(value));
        Value = value;
    }

    /// <summary>The slash-joined path.</summary>
    public string Value { get; }

    /// <summary>The path parts; the first one names the layer or group prefix.</summary>
    public IReadOnlyList<string> Parts => Value.Split('/');

    /// <summary>The first path part (<c>bronze</c>, <c>silver</c>, <c>gold</c> ...).</summary>
    public string Prefix => Parts[0];

    public static AssetKey Parse(string value) => new(value.Trim());

    public int CompareTo(AssetKey? other) => string.CompareOrdinal(Value, other?.Value);

    public override string ToString() => Value;
}
