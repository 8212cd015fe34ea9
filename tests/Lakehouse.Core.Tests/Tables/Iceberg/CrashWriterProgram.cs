using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;
using Lakehouse.Core.Tables.Catalog;

namespace Lakehouse.Core.Tests.Tables.Iceberg;

/// <summary>
/// The test assembly's entry point. <c>crash-writer &lt;home&gt; &lt;first&gt; &lt;count&gt;</c> commits in a loop (a partition
/// replace then an append per round) and prints "round N" after each; crash tests kill it with SIGKILL mid-way.
/// </summary>
public static class CrashWriterProgram
{
    public const int RowsPerRound = 50;
    public const long LogIdBase = 1_000_000;

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["crash-writer", var home, var firstText, var countText]) return 2;
        var first = int.Parse(firstText, System.Globalization.CultureInfo.InvariantCulture);
        var count = int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);
        var catalog = CatalogOf(home);
        var table = await catalog.CreateOrLoadAsync(TableTestLake.Events, CancellationToken.None);
        for (var round = first; round < first + count; round++)
        {
            var day = new DateOnly(2024, 5, 1);
            await TableTestLake.ReplaceAsync(table, RowFilter.Where(("course", "erin")),
                Enumerable.Range(0, RowsPerRound).Select(i => TableTestLake.Row(round * 1000L + i, "erin", day)).ToList());
            await TableTestLake.AppendAsync(table, [TableTestLake.Row(LogIdBase + round, "log", day)]);
            Console.Out.WriteLine($"round {round}");
            Console.Out.Flush();
        }
        return 0;
    }

    public static ITableCatalog CatalogOf(string home) =>
        TableCatalogs.Sqlite(Path.Combine(home, "catalog.db"), new LocalObjectStoreProvider(new LakehouseOptions { Home = home }), TimeProvider.System);
}
