using DuckDB.NET.Data;
using TmLakehouse.Orchestrator.Cli;

namespace Orchestrator.Tests.Cli;

/// <summary>What `tmlake query` and `tmlake preview --where` print for times: an instant (timestamptz) with its zone, a wall-clock time without.</summary>
public sealed class QueryOutputTests
{
    [Theory]
    [InlineData("table")]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task Timestamptz_IsPrintedInUtcWithZ_AndATimestampWithoutZone_HasNone(string format)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var set = connection.CreateCommand())
        {
            set.CommandText = "SET TimeZone = 'America/Denver'";
            await set.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "select TIMESTAMPTZ '2025-05-30 11:50:59.6+00' as instant, TIMESTAMP '2025-05-30 11:50:59.6' as wall";
        await using var reader = await command.ExecuteReaderAsync();
        var output = new StringWriter();

        await QueryOutput.WriteAsync(reader, format, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Contains("2025-05-30 11:50:59.600000Z", text);
        Assert.Contains("2025-05-30 11:50:59.600000", text.Replace("2025-05-30 11:50:59.600000Z", "", StringComparison.Ordinal));
    }
}
