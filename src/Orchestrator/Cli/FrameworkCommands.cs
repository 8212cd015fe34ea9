using System.CommandLine;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>Every command the orchestrator itself offers.</summary>
internal static class FrameworkCommands
{
    public static IEnumerable<Command> All(CliEnvironment environment) =>
    [
        AssetsCommand.Create(environment),
        AssetShowCommand.Create(environment),
        LineageCommand.Create(environment),
        QuarantineCommand.Create(environment),
        MaterializeCommand.Create(environment),
        RunsCommand.Create(environment),
        RunCommand.Create(environment),
        ReexecuteCommand.Create(environment),
        CancelCommand.Create(environment),
        WorkerCommand.Create(environment),
        PreviewCommand.Create(environment),
        TableCommand.Create(environment),
        QueryCommand.Create(environment),
        SampleDataCommand.Create(environment),
        LandCommand.Create(environment),
        Ledger.LedgerCommand.Create(environment),
        Sensors.SensorsCommand.Create(environment),
        Backfills.BackfillCommand.Create(environment),
        Backfills.BackfillsCommand.Create(environment),
        Automation.AutomationCommand.Create(environment),
        DemoCommand.Create(environment),
        DocsCommand.Create(environment),
    ];
}
