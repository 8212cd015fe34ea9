using System.CommandLine;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake assets`: every asset with its group, partitions, last materialization and status counts.</summary>
internal static class AssetsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document: {\"assets\": [...]}." };
        var command = new Command("assets", "List assets: key, group, partitions, last materialization, status.") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var statuses = (await session.Runtime.Instance.Events.GetStatusCountsAsync(null, ct)).ToDictionary(s => s.Asset);
            AssetStatusCounts Of(Lakehouse.Core.Assets.AssetKey key) => statuses.GetValueOrDefault(key) ?? AssetStatusCounts.None(key);
            var graph = session.Runtime.Graph;
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(CliJson.Serialize(new { assets = graph.Assets.Select(graph.Spec).Select(a => CliJson.Asset(a, Of(a.Key))).ToList() }));
                return 0;
            }
            var rows = graph.Assets.Select(graph.Spec).Select(a =>
            {
                var mine = Of(a.Key);
                var last = mine.LastMaterializedAt;
                var partitions = a.Partitions is null ? "-" : string.Join(" x ", a.Partitions.DimensionNames);
                return (IReadOnlyList<string>)
                [
                    a.Key.Value, a.EffectiveGroup, partitions,
                    last?.ToString("yyyy-MM-dd HH:mm:ss") ?? "never",
                    Summarize(mine),
                ];
            });
            TextTable.Write(session.Out, ["ASSET", "GROUP", "PARTITIONS", "LAST MATERIALIZED (UTC)", "STATUS"], rows);
            return 0;
        });
        return command;
    }

    private static string Summarize(AssetStatusCounts counts) =>
        counts.Total == 0 ? "-" : string.Join(", ", counts.States.OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key.ToString().ToLowerInvariant()}"));
}
