using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Schedules;

var environment = new CliEnvironment(TmLakehouse.Assets.Definitions.All) { Schedules = DefaultSchedules.All, Sensors = TmLakehouse.Assets.Definitions.Sensors };
return await TmlakeCli.RunAsync(args, environment, [ServeCommand.Create(environment), SchedulesCommand.Create(environment)]);
