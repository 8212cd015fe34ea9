using System.CommandLine;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake asset show KEY [--json]`: one asset's spec, partition health, latest materialization and latest check results.</summary>
internal static class AssetShowCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var key = new Argument<string>("key") { Description = "An asset key, e.g. silver/fact_telemetry_event." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document." };
        var show = new Command("show", "One asset: description, dependencies, partition counts, latest materialization and checks.") { key, json };
        show.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var graph = session.Runtime.Graph;
            var asset = Known(graph, parse.GetValue(key)!);
            var spec = graph.Spec(asset);
            var events = session.Runtime.Instance.Events;
            var statuses = (await events.GetStatusCountsAsync(asset, ct)).SingleOrDefault() ?? AssetStatusCounts.None(asset);
            var latest = (await events.QueryAsync(new EventQuery { Asset = asset, Types = [EventType.Materialization], Descending = true, Limit = 1 }, ct)).FirstOrDefault();
            var checks = (await events.QueryAsync(new EventQuery { Asset = asset, Types = [EventType.CheckResult], Descending = true, Limit = 200 }, ct))
                .Where(e => e.Check is not null).DistinctBy(e => (e.Check!.CheckName, e.Partition?.Value)).ToList();
            var counts = CliJson.States(statuses);
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(CliJson.Serialize(new
                {
                    asset = asset.Value, group = spec.EffectiveGroup, description = spec.Description, code_version = spec.CodeVersion,
                    partitions = spec.Partitions?.DimensionNames ?? [],
                    deps = graph.Parents(asset).Select(k => k.Value), dependents = graph.Children(asset).Select(k => k.Value),
                    statuses = counts,
                    latest_materialization = latest is null ? null : new
                    {
                        event_id = latest.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), run_id = latest.RunId, partition = latest.Partition?.Value, at = latest.Timestamp,
                        metadata = latest.Metadata.ToDictionary(m => m.Key, m => m.Value.Display()),
                    },
                    checks = checks.Select(c => new { check = c.Check!.CheckName, partition = c.Partition?.Value, passed = c.Check.Passed, severity = c.Check.Severity.ToString().ToLowerInvariant(), description = c.Check.Description, at = c.Timestamp }),
                }));
                return 0;
            }
            var output = session.Out;
            output.WriteLine(asset.Value);
            if (!string.IsNullOrWhiteSpace(spec.Description)) output.WriteLine($"  {spec.Description}");
            output.WriteLine($"  group        {spec.EffectiveGroup}");
            output.WriteLine($"  partitions   {(spec.Partitions is null ? "none" : string.Join(" x ", spec.Partitions.DimensionNames))}");
            output.WriteLine($"  depends on   {List(graph.Parents(asset))}");
            output.WriteLine($"  used by      {List(graph.Children(asset))}");
            output.WriteLine($"  status       {(counts.Count == 0 ? "never materialized" : string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}")))}");
            if (latest is not null)
            {
                output.WriteLine($"  latest       {latest.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z run {latest.RunId}{(latest.Partition is { } p ? $" partition {p.Value}" : "")}");
                foreach (var (name, value) in latest.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Where(m => m.Value.Kind is not (MetadataKind.Json or MetadataKind.TableSchema or MetadataKind.Markdown)))
                    output.WriteLine($"    {name,-26} {value.Display()}");
            }
            if (checks.Count > 0)
            {
                output.WriteLine("  checks (latest per partition)");
                TextTable.Write(output, ["    CHECK", "PARTITION", "RESULT", "DESCRIPTION"], checks.Select(c => (IReadOnlyList<string>)
                    ["    " + c.Check!.CheckName, c.Partition?.Value ?? "-", c.Check.Passed ? "passed" : c.Check.Severity.ToString().ToLowerInvariant() == "warn" ? "warning" : "FAILED", c.Check.Description]));
            }
            return 0;
        });
        return new Command("asset", "Inspect one asset (see also `tmlake assets`).") { show };
    }

    public static AssetKey Known(AssetGraph graph, string text)
    {
        var key = AssetKey.Parse(text.Trim());
        return graph.Contains(key) ? key
            : throw new CliUserException($"There is no asset '{text}'. Assets: {string.Join(", ", graph.Assets.Select(a => a.Value))}.");
    }

    private static string List(IReadOnlyList<AssetKey> keys) => keys.Count == 0 ? "-" : string.Join(", ", keys.Select(k => k.Value));
}
