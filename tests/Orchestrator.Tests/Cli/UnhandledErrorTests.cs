using Lakehouse.Core.Assets;
using Orchestrator.Tests.Support;
using TmLakehouse.Orchestrator.Cli;

namespace Orchestrator.Tests.Cli;

/// <summary>An error tmlake did not foresee: one line on the terminal, and the full exception where that line says it is.</summary>
public sealed class UnhandledErrorTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static IReadOnlyList<AssetDefinition> BrokenDefinitions() => throw new InvalidOperationException("the asset module could not be loaded");

    [Fact]
    public async Task AnUnforeseenError_PrintsOneLine_AndItsFullExceptionIsInTheLogFile()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(BrokenDefinitions) { Out = output, Error = error, Variables = new Dictionary<string, string> { ["TM_HOME"] = _home.Path } };

        var code = await TmlakeCli.RunAsync(["assets"], environment);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal(
            "error: InvalidOperationException: the asset module could not be loaded\n(the full exception is in TM_HOME/logs/tmlake.json; please report it)\n",
            error.ToString().ReplaceLineEndings("\n"));
        var log = await File.ReadAllTextAsync(Path.Combine(_home.Path, "logs", "tmlake.json"));
        Assert.Contains("Unhandled error", log, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: the asset module could not be loaded", log, StringComparison.Ordinal);
        Assert.Contains(nameof(BrokenDefinitions), log, StringComparison.Ordinal); // the stack trace, down to where it was thrown
    }
}
