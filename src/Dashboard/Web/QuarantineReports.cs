using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Reads every quarantine report (newest first) with its key, for the list page, the rate chart and the API.</summary>
internal static class QuarantineReports
{
    public static async Task<IReadOnlyList<(string Key, QuarantineReport Report)>> ReadAllAsync(IObjectStoreProvider objects, CancellationToken ct)
    {
        var writer = new QuarantineWriter(objects);
        var result = new List<(string, QuarantineReport)>();
        foreach (var key in await writer.ListReportKeysAsync("", ct)) result.Add((key, await writer.ReadAsync(key, ct)));
        return result.OrderByDescending(r => r.Item2.CreatedAt).ToList();
    }

    /// <summary>The report, or null when the id is not a report key or the report does not exist.</summary>
    public static async Task<(string Key, QuarantineReport Report)?> FindAsync(IObjectStoreProvider objects, string id, CancellationToken ct)
    {
        if (QuarantineIds.KeyOf(id) is not { } key) return null;
        try
        {
            return (key, await new QuarantineWriter(objects).ReadAsync(key, ct));
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public static string Dimension(QuarantineReport report, string name) => report.Partition.TryGetValue(name, out var v) ? v : "-";
}
