namespace Lakehouse.Core.Objects;

/// <summary>What the store knows of one object.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified)
{
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
