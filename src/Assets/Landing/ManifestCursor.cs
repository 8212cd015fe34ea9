using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Objects;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// The manifest sensor's cursor: each manifest key with the size and modification time it had when it was last read. A manifest is
/// read again only when these change (a re-upload), so an invalid one fails one tick, not every tick; deleted manifests drop out.
/// </summary>
public static class ManifestCursor
{
    public static IReadOnlyDictionary<string, string> Parse(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(cursor) ?? [];

    public static string Format(IReadOnlyDictionary<string, string> seen) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(seen.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal));

    /// <summary>What identifies one upload of a manifest.</summary>
    public static string MarkOf(ObjectInfo info) =>
        string.Create(CultureInfo.InvariantCulture, $"{info.Size}:{info.LastModified.ToUnixTimeMilliseconds()}");
}
