using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// Turns one partition key the user typed into the keys it means for one asset: the same key, its projection onto the
/// asset's fewer dimensions (course_id=x,ingest_date=d → x for a per-course asset), or every existing key that agrees
/// with it when it names only some of the asset's dimensions; a range (<see cref="PartitionSpec"/>) means every key it spans.
/// </summary>
internal static class RequestedPartition
{
    public static async Task<IReadOnlyList<PartitionKey>> ResolveAsync(
        string text, AssetKey asset, PartitionsDefinition definition,
        Func<CancellationToken, Task<IReadOnlyList<PartitionKey>>> existingKeys, IPartitionKeySource source, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // A range (course_id=*,ingest_date=A..B) means every key it spans, read by the one parser backfills use too.
        if (PartitionSpec.IsPattern(text)) return await PartitionSpec.Parse(text).ExpandAsync(asset, definition, source, clock, cancellationToken);
        var given = Dimensions(text);
        if (given is null) return [Parse(text, asset, definition)];

        var names = definition.DimensionNames;
        var common = names.Where(given.ContainsKey).ToList();
        if (common.Count == 0)
            throw new RunPlanException($"Partition '{text}' names none of {asset}'s dimensions ({string.Join(", ", names)}).");
        if (common.Count == names.Count)
        {
            var projected = names.Count == 1 ? given[names[0]] : string.Join(',', names.Select(n => $"{n}={given[n]}"));
            return [Parse(projected, asset, definition, text)];
        }

        var wanted = common.ToDictionary(n => n, n => Canonical(definition, n, given[n], asset, text));
        var matches = (await existingKeys(cancellationToken)).Where(k => wanted.All(w => k.Get(w.Key) == w.Value)).ToList();
        if (matches.Count == 0)
            throw new RunPlanException($"Partition '{text}' matches no existing partition of {asset} (partitioned by {string.Join(", ", names)}).");
        return matches;
    }

    /// <summary>The dimension names of a dim=value key, or null for a bare value.</summary>
    public static IReadOnlyDictionary<string, string>? Dimensions(string text)
    {
        if (!text.Contains('=')) return null;
        try
        {
            return new PartitionKey(text.Trim()).Dimensions;
        }
        catch (FormatException e)
        {
            throw new RunPlanException($"Cannot read partition '{text}': {e.Message}", e);
        }
    }

    /// <summary>Why a key cannot be materialized yet (a day after today), or null.</summary>
    public static string? Unavailable(PartitionsDefinition definition, PartitionKey key, DateOnly today) => definition switch
    {
        DailyPartitionsDefinition daily when DateOnly.ParseExact(key.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture) > today =>
            $"{daily.Dimension} {key.Value} is after today ({DailyPartitionsDefinition.Format(today)} UTC)",
        MultiPartitionsDefinition multi => multi.Dimensions
            .Select(d => Unavailable(d.Definition, new PartitionKey(key.Get(d.Name)), today))
            .FirstOrDefault(reason => reason is not null),
        _ => null,
    };

    private static string Canonical(PartitionsDefinition definition, string dimension, string value, AssetKey asset, string text)
    {
        if (definition is not MultiPartitionsDefinition multi) return value;
        var component = multi.Dimensions.First(d => d.Name == dimension).Definition;
        return Parse(value, asset, component, text).Value;
    }

    private static PartitionKey Parse(string text, AssetKey asset, PartitionsDefinition definition, string? original = null)
    {
        try
        {
            return definition.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new RunPlanException($"Partition '{KeyPart.Printable(original ?? text)}' does not fit {asset}: {e.Message}", e);
        }
    }
}
