using Lakehouse.Core.Sql;
using Lakehouse.Core.Tests.Tables;

namespace Lakehouse.Core.Tests.Sql;

/// <summary>Engines of the shared DuckDB database take turns: at most as many hold it as allowed, the others wait in order.</summary>
public sealed class SharedEngineTurnTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TableTestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    private const long Megabyte = 1024 * 1024;

    private Task<LakeSqlEngine> OpenAsync(int holders, Action? waiting = null, CancellationToken cancellationToken = default, long inputBytes = 0, int joinInputMegabytes = 64) =>
        LakeSqlEngine.OpenSharedAsync(_lake.Catalog, _lake.Objects, Path.Combine(_lake.Home, "cache", "models"), 1 << 30,
            new SharedEngineLimits(64, 1, holders, joinInputMegabytes), inputBytes, waiting, cancellationToken);

    private static async Task<long> AnswerAsync(LakeSqlEngine engine)
    {
        await using var reader = await engine.ExecuteReaderAsync("SELECT 41 + 1", CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        return Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task SecondEngine_WaitsUntilTheFirstIsDisposed_WhenOneHolderIsAllowed()
    {
        var first = await OpenAsync(holders: 1);
        var waited = false;

        var second = OpenAsync(holders: 1, () => waited = true);

        Assert.True(waited);
        Assert.False(second.IsCompleted);
        Assert.Equal(42, await AnswerAsync(first));
        await first.DisposeAsync();
        await using var opened = await second.WaitAsync(Patience);
        Assert.Equal(42, await AnswerAsync(opened));
    }

    [Fact]
    public async Task Engines_OpenAtOnce_WhenTwoHoldersAreAllowed()
    {
        await using var first = await OpenAsync(holders: 2);
        var waited = false;

        await using var second = await OpenAsync(holders: 2, () => waited = true).WaitAsync(Patience);

        Assert.False(waited);
        Assert.Equal(42, await AnswerAsync(first));
        Assert.Equal(42, await AnswerAsync(second));
    }

    [Fact]
    public async Task SecondEngine_Waits_WhenBothInputsTogetherExceedTheJoinBudget_ThoughTwoHoldersAreAllowed()
    {
        // Alone, an engine opens whatever its input: the budget only decides who may join.
        var large = await OpenAsync(holders: 2, inputBytes: 100 * Megabyte, joinInputMegabytes: 64);
        var waited = false;

        var small = OpenAsync(holders: 2, () => waited = true, inputBytes: 1 * Megabyte, joinInputMegabytes: 64);

        Assert.True(waited);
        Assert.False(small.IsCompleted);
        await large.DisposeAsync();
        await using var opened = await small.WaitAsync(Patience);
        Assert.Equal(42, await AnswerAsync(opened));
    }

    [Fact]
    public async Task Engines_OverSmallInputs_OpenAtOnce_AndAThirdWaitsUntilItsInputFits()
    {
        var first = await OpenAsync(holders: 3, inputBytes: 20 * Megabyte, joinInputMegabytes: 64);
        var second = await OpenAsync(holders: 3, inputBytes: 20 * Megabyte, joinInputMegabytes: 64).WaitAsync(Patience);

        var large = OpenAsync(holders: 3, inputBytes: 30 * Megabyte, joinInputMegabytes: 64);

        Assert.False(large.IsCompleted);
        await first.DisposeAsync();
        await using var opened = await large.WaitAsync(Patience); // 20 + 30 MB fit beside the second
        Assert.Equal(42, await AnswerAsync(second));
        Assert.Equal(42, await AnswerAsync(opened));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task WaitingEngine_ThatIsCanceled_Throws_AndTheNextOneInLineStillGetsItsTurn()
    {
        var first = await OpenAsync(holders: 1);
        using var stop = new CancellationTokenSource();
        var canceled = OpenAsync(holders: 1, cancellationToken: stop.Token);
        var third = OpenAsync(holders: 1);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled.WaitAsync(Patience));
        Assert.False(third.IsCompleted);
        await first.DisposeAsync();

        await using var opened = await third.WaitAsync(Patience);
        Assert.Equal(42, await AnswerAsync(opened));
        // Nothing is left waiting: a new engine opens at once once this one is gone.
        await opened.DisposeAsync();
        var waited = false;
        await using var fourth = await OpenAsync(holders: 1, () => waited = true).WaitAsync(Patience);
        Assert.False(waited);
    }
}
