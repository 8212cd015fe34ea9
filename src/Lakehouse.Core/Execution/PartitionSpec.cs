using System.Globalization;
using System.Text.RegularExpressions;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Execution;

/// <summary>
/// A partition range as users type it, per dimension: <c>*</c> (every known value), <c>A..B</c> (the days from A to B, for a
/// date dimension), or values joined by <c>|</c>; e.g. <c>course_id=*,ingest_date=2025-06-01..2025-06-30</c>. A dimension
/// not named means every known value. The one parser of this syntax: <c>tmlake backfill</c> and <c>materialize -p</c> both use it.
/// </summary>
public sealed partial record PartitionSpec(string Text, IReadOnlyDictionary<string, DimensionSelector> Dimensions, DimensionSelector? Bare)
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")]
    private static partial Regex DayRange();

    /// <summary>True when the text uses the range syntax (<c>*</c>, <c>|</c> or a day range) rather than naming one key.</summary>
    public static bool IsPattern(string text) =>
        Values(text).Any(v => v == "*" || v.Contains('|', StringComparison.Ordinal) || DayRange().IsMatch(v));

    /// <summary>Reads the text, or throws <see cref="RunPlanException"/> saying what is wrong with it.</summary>
    public static PartitionSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new RunPlanException("An empty partition range was given.");
        if (!trimmed.Contains('=')) return new PartitionSpec(trimmed, new Dictionary<string, DimensionSelector>(), Selector(trimmed, "the partition", trimmed));
        var dimensions = new Dictionary<string, DimensionSelector>(StringComparer.Ordinal);
        foreach (var pair in trimmed.Split(','))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new RunPlanException($"Cannot read partition range '{KeyPart.Printable(trimmed)}': '{KeyPart.Printable(pair)}' is not dim=value.");
            var name = pair[..eq].Trim();
            if (!dimensions.TryAdd(name, Selector(pair[(eq + 1)..].Trim(), name, trimmed)))
                throw new RunPlanException($"Partition range '{KeyPart.Printable(trimmed)}' names dimension '{name}' more than once.");
        }
        return new PartitionSpec(trimmed, dimensions, null);
    }

    /// <summary>
    /// The keys of <paramref name="definition"/> the range means, in order. Dimensions the asset does not have are ignored (a
    /// per-course asset takes the course part of a course × day range); none in common is an error, and so is a range that
    /// names no partition that exists.
    /// </summary>
    public async Task<IReadOnlyList<PartitionKey>> ExpandAsync(AssetKey asset, PartitionsDefinition definition, IPartitionKeySource source, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var names = definition.DimensionNames;
        var selectors = new Dictionary<string, DimensionSelector>(StringComparer.Ordinal);
        if (Bare is not null)
        {
            if (names.Count != 1)
                throw new RunPlanException($"Partition range '{Printable}' names no dimension; {asset} has {string.Join(", ", names)}: write {string.Join(",", names.Select(n => n + "=..."))}.");
            selectors[names[0]] = Bare;
        }
        else
        {
            if (!names.Any(Dimensions.ContainsKey))
                throw new RunPlanException($"Partition range '{Printable}' names none of {asset}'s dimensions ({string.Join(", ", names)}).");
            foreach (var name in names) selectors[name] = Dimensions.GetValueOrDefault(name) ?? DimensionSelector.Every;
        }

        IReadOnlyList<PartitionKey> keys;
        if (definition is MultiPartitionsDefinition { RegisteredKeysName: not null } registered)
        {
            // Only the registered pairs exist (not every course lands every day): the range picks among them.
            var wanted = new Dictionary<string, Func<string, bool>>();
            foreach (var (name, component) in registered.Dimensions)
                wanted[name] = await MatcherAsync(asset, name, component, selectors[name], source, clock, cancellationToken);
            keys = (await definition.GetKeysAsync(source, clock, cancellationToken))
                .Where(k => wanted.All(w => w.Value(k.Get(w.Key)))).Distinct().Order().ToList();
        }
        else
        {
            IEnumerable<List<KeyValuePair<string, string>>> product = [[]];
            var components = definition is MultiPartitionsDefinition multi ? multi.Dimensions : [(names[0], definition)];
            foreach (var (name, component) in components)
            {
                var values = await ValuesAsync(asset, name, component, selectors[name], source, clock, cancellationToken);
                product = product.SelectMany(prefix => values.Select(v => new List<KeyValuePair<string, string>>(prefix) { new(name, v) })).ToList();
            }
            keys = product.Select(p => p.Count == 1 ? new PartitionKey(p[0].Value) : PartitionKey.Multi(p)).Distinct().Order().ToList();
        }
        if (keys.Count == 0) throw new RunPlanException($"Partition range '{Printable}' matches no existing partition of {asset}.");
        return keys;
    }

    private string Printable => KeyPart.Printable(Text);

    private async Task<IReadOnlyList<string>> ValuesAsync(AssetKey asset, string name, PartitionsDefinition component, DimensionSelector selector,
        IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
    {
        switch (selector)
        {
            case DimensionSelector.All:
                return (await component.GetKeysAsync(source, clock, cancellationToken)).Select(k => k.Value).ToList();
            case DimensionSelector.DayRange range:
                CheckDays(asset, name, component, range, clock);
                var days = new List<string>();
                for (var d = range.From; d <= range.To; d = d.AddDays(1)) days.Add(Canonical(asset, name, component, DailyPartitionsDefinition.Format(d)));
                return days;
            case DimensionSelector.OneOf list:
                var known = component is DailyPartitionsDefinition ? null
                    : (await component.GetKeysAsync(source, clock, cancellationToken)).Select(k => k.Value).ToHashSet(StringComparer.Ordinal);
                var values = list.Values.Select(v => Canonical(asset, name, component, v)).ToList();
                if (known is not null && values.FirstOrDefault(v => !known.Contains(v)) is { } unknown)
                    throw new RunPlanException($"{asset} has no {name} '{KeyPart.Printable(unknown)}' (in '{Printable}'); `tmlake assets` lists what exists.");
                return values;
            default:
                throw new ArgumentOutOfRangeException(nameof(selector), selector, "Unknown selector.");
        }
    }

    private async Task<Func<string, bool>> MatcherAsync(AssetKey asset, string name, PartitionsDefinition component, DimensionSelector selector,
        IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
    {
        switch (selector)
        {
            case DimensionSelector.All:
                return _ => true;
            case DimensionSelector.DayRange range:
                CheckDays(asset, name, component, range, clock);
                var from = DailyPartitionsDefinition.Format(range.From);
                var to = DailyPartitionsDefinition.Format(range.To);
                return v => string.CompareOrdinal(v, from) >= 0 && string.CompareOrdinal(v, to) <= 0;
            default:
                var values = (await ValuesAsync(asset, name, component, selector, source, clock, cancellationToken)).ToHashSet(StringComparer.Ordinal);
                return values.Contains;
        }
    }

    /// <summary>A range is of a date dimension, starts at or after its first day and ends by today (a later day cannot run yet).</summary>
    private void CheckDays(AssetKey asset, string name, PartitionsDefinition component, DimensionSelector.DayRange range, TimeProvider clock)
    {
        if (component is not DailyPartitionsDefinition) throw NotADateDimension(asset, name);
        Canonical(asset, name, component, DailyPartitionsDefinition.Format(range.From));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (range.To > today)
            throw new RunPlanException($"Partition range '{Printable}': {name} {DailyPartitionsDefinition.Format(range.To)} is after today ({DailyPartitionsDefinition.Format(today)} UTC).");
    }

    private string Canonical(AssetKey asset, string name, PartitionsDefinition component, string value)
    {
        try
        {
            return component.Parse(value).Value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new RunPlanException($"Partition range '{Printable}' does not fit {asset}'s {name}: {e.Message}", e);
        }
    }

    private RunPlanException NotADateDimension(AssetKey asset, string name) =>
        new($"Partition range '{Printable}': A..B ranges are for date dimensions, and {asset}'s {name} is not one; list values with '|' or use '*'.");

    private static DimensionSelector Selector(string value, string dimension, string text)
    {
        if (value == "*") return DimensionSelector.Every;
        var range = DayRange().Match(value);
        if (range.Success)
        {
            var from = Day(range.Groups[1].Value, dimension, text);
            var to = Day(range.Groups[2].Value, dimension, text);
            if (to < from)
                throw new RunPlanException($"Partition range '{KeyPart.Printable(text)}': {dimension} range {value} ends before it starts.");
            return new DimensionSelector.DayRange(from, to);
        }
        var values = value.Split('|').Select(v => v.Trim()).ToList();
        if (values.Any(v => v.Length == 0))
            throw new RunPlanException($"Partition range '{KeyPart.Printable(text)}' gives an empty value for {dimension}.");
        if (values.Contains("*"))
            throw new RunPlanException($"Partition range '{KeyPart.Printable(text)}': '*' stands alone, not in a list with '|'.");
        return new DimensionSelector.OneOf(values.Distinct(StringComparer.Ordinal).ToList());
    }

    private static DateOnly Day(string value, string dimension, string text) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new RunPlanException($"Partition range '{KeyPart.Printable(text)}': '{value}' is not a day for {dimension} (yyyy-MM-dd).");

    private static IEnumerable<string> Values(string text) =>
        text.Split(',').Select(pair => pair.Contains('=') ? pair[(pair.IndexOf('=') + 1)..].Trim() : pair.Trim());
}

/// <summary>What a partition range says of one dimension: every known value, a range of days, or a list of values.</summary>
public abstract record DimensionSelector
{
    public static DimensionSelector Every { get; } = new All();

    public sealed record All : DimensionSelector;

    public sealed record DayRange(DateOnly From, DateOnly To) : DimensionSelector;

    public sealed record OneOf(IReadOnlyList<string> Values) : DimensionSelector;
}
