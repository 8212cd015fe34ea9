using System.CommandLine;
using Lakehouse.Core.Assets;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake lineage KEY [--upstream|--downstream]`: the assets an asset is built from and the ones built from it, as an indented tree.</summary>
internal static class LineageCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var key = new Argument<string>("key") { Description = "An asset key, e.g. silver/fact_telemetry_event." };
        var upstream = new Option<bool>("--upstream") { Description = "Only what the asset is built from." };
        var downstream = new Option<bool>("--downstream") { Description = "Only what is built from the asset." };
        var command = new Command("lineage", "Print an asset's upstream and downstream assets as trees.") { key, upstream, downstream };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var graph = session.Runtime.Graph;
            var asset = AssetShowCommand.Known(graph, parse.GetValue(key)!);
            bool up = parse.GetValue(upstream), down = parse.GetValue(downstream);
            if (up && down) throw new CliUserException("Give --upstream or --downstream, not both (neither prints both trees).");
            var output = session.Out;
            if (!down)
            {
                output.WriteLine($"upstream of {asset.Value} ({graph.Upstream(asset).Count} asset(s)):");
                Tree(output, asset, graph.Parents, "", []);
            }
            if (!up)
            {
                if (!down) output.WriteLine();
                output.WriteLine($"downstream of {asset.Value} ({graph.Downstream(asset).Count} asset(s)):");
                Tree(output, asset, graph.Children, "", []);
            }
            return 0;
        });
        return command;
    }

    /// <summary>Each branch once per path; an asset reached again through another branch is printed with "(see above)" rather than repeated.</summary>
    private static void Tree(TextWriter output, AssetKey key, Func<AssetKey, IReadOnlyList<AssetKey>> next, string indent, HashSet<AssetKey> printed)
    {
        var children = next(key);
        for (var i = 0; i < children.Count; i++)
        {
            var last = i == children.Count - 1;
            var child = children[i];
            var seen = !printed.Add(child);
            output.WriteLine($"{indent}{(last ? "└── " : "├── ")}{child.Value}{(seen && next(child).Count > 0 ? " (see above)" : "")}");
            if (!seen) Tree(output, child, next, indent + (last ? "    " : "│   "), printed);
        }
        if (indent.Length == 0 && children.Count == 0) output.WriteLine("  (none)");
    }
}
