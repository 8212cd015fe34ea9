using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Sql;

namespace TmLakehouse.Assets.Models;

/// <summary>The outcome of one test: how many rows failed and the first of them (at most <see cref="SqlModelTestRun.SampleLimit"/>).</summary>
internal sealed record SqlModelTestOutcome(SqlModelTest Test, long FailingRows, string Description, IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> Samples)
{
    public bool Passed => FailingRows == 0;

    public AssetCheckResult ToCheckResult() => new(Test.Name, Passed, Test.Severity, Blocking: Test.Severity == AssetCheckSeverity.Error)
    {
        Description = Description,
        Metadata = new Dictionary<string, MetadataValue>
        {
            ["failing_rows"] = MetadataValue.Int(FailingRows),
            ["declared_at"] = MetadataValue.Text($"{Test.File} line {Test.Line}"),
        },
    };
}

/// <summary>Runs a model's tests over its result in the step's DuckDB; a test whose SQL cannot run is an error naming where it was declared.</summary>
internal static class SqlModelTestRun
{
    public const int SampleLimit = 20;

    /// <summary>
    /// Runs the query tests (every kind but source freshness) over the result: their failing rows are counted in one query — a
    /// model such as fact_rounds declares some 30 tests, and a query each was most of a small Gold step's test time — then
    /// sampled for those that failed. If the combined query fails, each test runs alone, so the error names the test that broke.
    /// </summary>
    public static async Task<IReadOnlyList<SqlModelTestOutcome>> RunAllAsync(LakeSqlEngine engine, IReadOnlyList<SqlModelTest> tests, string relation,
        CancellationToken cancellationToken)
    {
        if (tests.Count == 0) return [];
        var counts = new long[tests.Count];
        var sql = "SELECT " + string.Join(", ", tests.Select((t, i) => $"(SELECT count(*) FROM ({t.FailingRowsSql(relation)}) AS failures) AS t{i}"));
        try
        {
            await using var reader = await engine.ExecuteReaderAsync(sql, cancellationToken);
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < counts.Length; i++) counts[i] = Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        }
        catch (LakeSqlException)
        {
            var outcomes = new List<SqlModelTestOutcome>();
            foreach (var test in tests) outcomes.Add(await RunAsync(engine, test, relation, cancellationToken));
            return outcomes;
        }
        var results = new List<SqlModelTestOutcome>();
        for (var i = 0; i < tests.Count; i++) results.Add(await OutcomeAsync(engine, tests[i], relation, counts[i], cancellationToken));
        return results;
    }

    public static async Task<SqlModelTestOutcome> RunAsync(LakeSqlEngine engine, SqlModelTest test, string relation, CancellationToken cancellationToken)
    {
        try
        {
            var count = await ScalarAsync(engine, $"SELECT count(*) FROM ({test.FailingRowsSql(relation)}) AS failures", cancellationToken);
            return await OutcomeAsync(engine, test, relation, count, cancellationToken);
        }
        catch (LakeSqlException e)
        {
            throw SqlModelException.At(test.File, test.Line, $"test {test.Name} cannot run: {e.Message}");
        }
    }

    private static async Task<SqlModelTestOutcome> OutcomeAsync(LakeSqlEngine engine, SqlModelTest test, string relation, long count, CancellationToken cancellationToken)
    {
        try
        {
            var samples = count == 0 ? [] : await SamplesAsync(engine, $"SELECT * FROM ({test.FailingRowsSql(relation)}) AS failures LIMIT {SampleLimit}", cancellationToken);
            var description = count == 0 ? $"passed: {test.DescriptionOrDefault}" : $"{count} failing row(s): {test.DescriptionOrDefault}";
            return new SqlModelTestOutcome(test, count, description, samples);
        }
        catch (LakeSqlException e)
        {
            throw SqlModelException.At(test.File, test.Line, $"test {test.Name} cannot run: {e.Message}");
        }
    }

    /// <summary>Source freshness: the newest ingest date of the source (in this partition) against the newest landed one, not the wall clock.</summary>
    public static async Task<SqlModelTestOutcome> FreshnessAsync(LakeSqlEngine engine, SqlModelTest test, DateOnly? newestLanded, CancellationToken cancellationToken)
    {
        var source = $"{SnapshotView.Quote(test.To!.Namespace)}.{SnapshotView.Quote(test.To.Name)}";
        DateOnly? newest;
        try
        {
            await using var reader = await engine.ExecuteReaderAsync($"SELECT max(ingest_date) FROM {source}", cancellationToken);
            await reader.ReadAsync(cancellationToken);
            newest = reader.IsDBNull(0) ? null : DateOnly.FromDateTime(reader.GetDateTime(0));
        }
        catch (LakeSqlException e)
        {
            throw SqlModelException.At(test.File, test.Line, $"test {test.Name} cannot run: {e.Message}");
        }
        if (newestLanded is not { } landed)
            return new SqlModelTestOutcome(test, 0, $"passed: nothing has landed for this partition, so {test.To} cannot lag behind", []);
        var lag = newest is { } n ? landed.DayNumber - n.DayNumber : int.MaxValue;
        var text = newest is null
            ? $"{test.To} holds no row though ingest date {Day(landed)} has landed"
            : $"{test.To}'s newest ingest date is {Day(newest.Value)}, the newest landed is {Day(landed)} ({Math.Max(lag, 0)} day(s) behind, at most {test.MaxLagDays} allowed)";
        return lag <= test.MaxLagDays
            ? new SqlModelTestOutcome(test, 0, $"passed: {text}", [])
            : new SqlModelTestOutcome(test, 1, text, []);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<long> ScalarAsync(LakeSqlEngine engine, string sql, CancellationToken cancellationToken)
    {
        await using var reader = await engine.ExecuteReaderAsync(sql, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>> SamplesAsync(LakeSqlEngine engine, string sql, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyDictionary<string, JsonElement>>();
        await using var reader = await engine.ExecuteReaderAsync(sql, cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(RowOf(reader));
        return rows;
    }

    private static Dictionary<string, JsonElement> RowOf(DbDataReader reader)
    {
        var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
            object? plain = value switch
            {
                null => null,
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                double d when !double.IsFinite(d) => d.ToString(CultureInfo.InvariantCulture),
                bool or string or long or int or short or sbyte or byte or double or float or decimal => value,
                System.Numerics.BigInteger b => b.ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
            row[reader.GetName(i)] = JsonSerializer.SerializeToElement(plain);
        }
        return row;
    }
}
