using Lakehouse.Core.Config;

namespace TmLakehouse.Bench;

/// <summary>Benchmark settings: `--postgres CONN` measures the PostgreSQL mode instead of the embedded one.</summary>
internal sealed record BenchOptions(string? Postgres)
{
    public double StepTargetMs => Postgres is null ? 1 : 8;

    public static BenchOptions From(string[] args)
    {
        var i = Array.IndexOf(args, "--postgres");
        return new BenchOptions(i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable("TM_BENCH_POSTGRES"));
    }

    public string Describe() => Postgres is null ? "embedded: SQLite + Hangfire.InMemory" : "PostgreSQL + Hangfire.PostgreSql";

    public LakehouseOptions Lakehouse(string home) => Postgres is null
        ? new LakehouseOptions { Home = home }
        : new LakehouseOptions { Home = home, InstanceStore = StoreKind.Postgres, PostgresConnectionString = Postgres };
}
