namespace Orchestrator.Tests.EndToEnd;

/// <summary>Issue 15: a mistyped command or option is a user mistake — one `error:` line and exit 2, as the README says, not the whole help.</summary>
public sealed class UnknownCommandTests : IDisposable
{
    private readonly TmlakeHome home = new();

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithOneErrorLineNamingIt()
    {
        var result = await home.RunAsync("materialise", "--select", "silver/*");

        Assert.Equal(2, result.Exit);
        Assert.StartsWith("error: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("materialise", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal("(run 'tmlake --help' for what it takes)", result.ErrorLines[1]);
        Assert.DoesNotContain("Usage:", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionOfACommand_PointsAtThatCommandsHelp()
    {
        var result = await home.RunAsync("runs", "--colour");

        Assert.Equal(2, result.Exit);
        Assert.Contains("--colour", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal("(run 'tmlake runs --help' for what it takes)", result.ErrorLines[1]);
    }

    [Fact]
    public async Task Help_StillPrintsUsageAndExitsZero()
    {
        var result = await home.RunAsync("--help");

        Assert.Equal(0, result.Exit);
        Assert.Contains("materialize", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => home.Dispose();
}
