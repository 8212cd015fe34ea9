using System.CommandLine;
using Lakehouse.Core.Assets;
using TmLakehouse.Orchestrator.Docs;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake docs [--out DIR]`: writes the data catalog (index.html and catalog.json) of every asset; the dashboard serves it at /docs.</summary>
internal static class DocsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write index.html and catalog.json (default: docs/ under TM_HOME)." };
        var command = new Command("docs", "Write the data catalog: assets, columns, descriptions, tests and lineage, as a static page.") { output };
        command.SetAction(async (parse, ct) =>
        {
            var options = CliSession.LoadOptions(environment, parse);
            // The catalog needs the definitions only, not the instance: it works before anything has run.
            var graph = AssetGraph.Build(environment.Definitions());
            var folder = parse.GetValue(output)?.FullName ?? Path.Combine(options.Home, "docs");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), DocsCatalog.Page(graph), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "catalog.json"), DocsCatalog.Json(graph), ct);
            await environment.Out.WriteLineAsync($"Wrote the catalog of {graph.Assets.Count} assets to {Path.Combine(folder, "index.html")} (and catalog.json).");
            return 0;
        });
        return command;
    }
}
