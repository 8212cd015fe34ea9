using TmLakehouse.Bench;

// Benchmarks, not tests: each prints its numbers next to a peer measured in the same run.
var which = args.FirstOrDefault() ?? "all";
var known = new Dictionary<string, Func<string[], Task>>
{
    ["orchestrator"] = OrchestratorBenchmark.RunAsync,
    ["silver"] = SilverBenchmark.RunAsync,
    ["silver-days"] = SilverDaysBenchmark.RunAsync,
    ["silver-cli"] = SilverCliBenchmark.RunAsync,
    ["gold"] = GoldBenchmark.RunAsync,
    ["spatial"] = SpatialBenchmark.RunAsync,
    ["backfill-submit"] = BackfillSubmitBenchmark.RunAsync,
    ["status-million"] = BackfillSubmitBenchmark.StatusAsync,
    ["automation"] = AutomationBenchmark.RunAsync,
};
// One side of the silver benchmark, re-invoked by it in a child process so each side's peak RSS is its own.
var sides = new Dictionary<string, Func<string[], Task>>
{
    ["silver-ours"] = SilverOursSide.RunAsync,
    ["silver-duckdb"] = SilverDuckDbSide.RunAsync,
    ["gold-sql"] = GoldSides.SqlAsync,
    ["gold-duckdb"] = GoldSides.DuckDbAsync,
};
if (sides.TryGetValue(which, out var side))
{
    await side(args.Skip(1).ToArray());
    return 0;
}
if (which == "all")
{
    foreach (var bench in known.Values) await bench(args.Skip(1).ToArray());
    return 0;
}
if (!known.TryGetValue(which, out var run))
{
    Console.Error.WriteLine($"unknown benchmark '{which}'; choose one of: all, {string.Join(", ", known.Keys)}");
    return 2;
}
await run(args.Skip(1).ToArray());
return 0;
