using Lakehouse.Core.Execution.Steps;
using Lakehouse.Core.Instance;
using static Lakehouse.Core.Tests.Execution.Steps.StepSome;

namespace Lakehouse.Core.Tests.Execution.Steps;

public sealed class StepLogScopeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tm-logscope-").FullName;
    private readonly RunLogFiles _files;

    public StepLogScopeTests() => _files = new RunLogFiles(_folder);

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Run_GivesTheStepItsLogger_AndHandsItsLinesToTheStepsEnd_AndToTheRunsFile()
    {
        var inner = new FakeRunner((step, _) =>
        {
            step.Log.Information("reading {files} files", 3);
            step.Log.Debug("not for the event log");
            return Task.FromResult(StepResult.Succeeded(new Dictionary<string, Lakehouse.Core.Execution.MetadataValue> { ["rows_out"] = Lakehouse.Core.Execution.MetadataValue.Int(5) }));
        });
        var context = Context(Definition("t/a"), runId: "run1", partition: "course_id=c1,ingest_date=2025-06-01");

        await new StepLogScope(inner, Serilog.Core.Logger.None, _files, TimeProvider.System).RunAsync(context, CancellationToken.None);

        Assert.Equal(["Step \"t/a[course_id=c1,ingest_date=2025-06-01]\" started (attempt 1)", "reading 3 files"], context.Events.Take(2).Select(e => e.Message));
        Assert.StartsWith("Step \"t/a[course_id=c1,ingest_date=2025-06-01]\" \"succeeded\" in ", context.Events[2].Message);
        Assert.EndsWith("(5 rows)", context.Events[2].Message);
        Assert.All(context.Events, e => Assert.Equal((EventType.Log, "run1", context.Step), (e.Type, e.RunId, e.Step)));
        var file = await File.ReadAllTextAsync(Path.Combine(_folder, "run1.json"));
        Assert.Contains("not for the event log", file);
        Assert.Contains("\"course_id\":\"c1\"", file);
    }

    [Fact]
    public async Task Run_KeepsTheLines_WhenTheStepThrows()
    {
        var inner = new FakeRunner((step, _) =>
        {
            step.Log.Warning("about to break");
            throw new IOException("broken");
        });
        var context = Context(Definition("t/a"));

        await Assert.ThrowsAsync<IOException>(() => new StepLogScope(inner, Serilog.Core.Logger.None, _files, TimeProvider.System).RunAsync(context, CancellationToken.None));

        Assert.Contains(context.Events, e => e.Message == "about to break" && e.Level == "Warning");
    }
}
