using TmLakehouse.Assets;
using TmLakehouse.Orchestrator.Cli;

return await TmlakeCli.RunAsync(args, new CliEnvironment(Definitions.All));
