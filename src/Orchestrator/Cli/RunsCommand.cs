using System.CommandLine;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake runs`: recent runs, newest first, filterable by status and asset.</summary>
internal static class RunsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var status = new Option<RunStatus?>("--status") { Description = "Only runs with this status." };
        var asset = new Option<string?>("--asset") { Description = "Only runs with a step of this asset." };
        var limit = new Option<int>("--limit") { Description = "How many runs.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: {\"runs\": [...]}." };
        var command = new Command("runs", "List recent runs.") { status, asset, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var assetText = parse.GetValue(asset);
            var runs = await session.Runtime.Instance.Runs.ListRunsAsync(new RunQuery
            {
                Status = parse.GetValue(status),
                Asset = assetText is null ? null : session.Runtime.Graph.StepAssetOrSelf(AssetKey.Parse(assetText)),
                Limit = parse.GetValue(limit),
            }, ct);
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(CliJson.Serialize(new { runs = runs.Select(r => CliJson.Run(r)).ToList() }));
                return 0;
            }
            TextTable.Write(session.Out, ["RUN", "STATUS", "SELECTION", "PARTITIONS", "CREATED (UTC)", "DURATION", "PARENT"], runs.Select(r => (IReadOnlyList<string>)
            [
                r.RunId, r.Status.ToString().ToLowerInvariant(), r.Selection,
                PartitionList.Summarize(r.Partitions),
                r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss"),
                r is { StartedAt: { } s, EndedAt: { } e } ? $"{(e - s).TotalSeconds:0.0} s" : "-",
                r.ParentRunId ?? "-",
            ]));
            session.Out.WriteLine("(partitions of a run in full: tmlake run show RUN)");
            return 0;
        });
        return command;
    }
}
