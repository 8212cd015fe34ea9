using System.Globalization;

namespace Lakehouse.Core.Partitions;

/// <summary>One partition per UTC day (yyyy-MM-dd) from a start date up to the clock's today.</summary>
public sealed record DailyPartitionsDefinition(string Dimension, DateOnly Start) : PartitionsDefinition
{
    public override IReadOnlyList<string> DimensionNames => [Dimension];

    public override Task<IReadOnlyList<PartitionKey>> GetKeysAsync(IPartitionKeySource source, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var keys = new List<PartitionKey>();
        for (var d = Start; d <= today; d = d.AddDays(1)) keys.Add(new PartitionKey(Format(d)));
        return Task.FromResult<IReadOnlyList<PartitionKey>>(keys);
    }

    public override PartitionKey Parse(string text)
    {
        var value = SingleDimension.Value(Dimension, text);
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            throw new FormatException($"'{value}' is not a day for dimension '{Dimension}': expected yyyy-MM-dd.");
        if (day < Start) throw new FormatException($"'{value}' is before the first partition of '{Dimension}' ({Format(Start)}).");
        return new PartitionKey(Format(day));
    }

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
