using System.CommandLine;
using Lakehouse.Core;
using TmLakehouse.Orchestrator.Logging;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>
/// The `tmlake` command line: builds the command tree and turns every user mistake into one line and exit code 2, every failure of
/// the machine (full or read-only disk, unreachable server) into one line and exit code 3.
/// </summary>
public static class TmlakeCli
{
    public static Option<FileInfo?> EnvFileOption { get; } = new("--env-file")
    {
        Description = "A file of TM_* settings (default: TM_ENV_FILE, else the embedded mode).",
        Recursive = true,
    };

    /// <summary>The root command with every command of this assembly plus the host's own (e.g. `serve`).</summary>
    public static RootCommand Build(CliEnvironment environment, IEnumerable<Command>? hostCommands = null)
    {
        var root = new RootCommand("tmlake: materialize and inspect the TmLakehouse assets.");
        root.Options.Add(EnvFileOption);
        foreach (var command in FrameworkCommands.All(environment)) root.Subcommands.Add(command);
        foreach (var command in hostCommands ?? []) root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, IEnumerable<Command>? hostCommands = null)
    {
        var parse = Build(environment, hostCommands).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A mistyped command or option is the user's: one line naming it and where to look, not the whole help and exit 1.
            environment.Error.WriteLine($"error: {FirstError(parse)}");
            environment.Error.WriteLine($"(run 'tmlake {CommandPath(parse)}--help' for what it takes)");
            return ExitCodes.UserError;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (UserMessage(ex) is { } message)
        {
            environment.Error.WriteLine($"error: {message}");
            return ExitCodes.UserError;
        }
        catch (Exception ex) when (EnvironmentFailure.Describe(ex) is { } message)
        {
            environment.Error.WriteLine($"error: {message}");
            TryLogToFile(environment, parse, ex, "Environment failure");
            return ExitCodes.Environment;
        }
        catch (OperationCanceledException)
        {
            environment.Error.WriteLine("canceled.");
            return ExitCodes.Canceled;
        }
        catch (Exception ex)
        {
            environment.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            if (TryLogToFile(environment, parse, ex, "Unhandled error"))
                environment.Error.WriteLine("(the full exception is in TM_HOME/logs/tmlake.json; please report it)");
            else
                environment.Error.WriteLine($"(the log file could not be written, so here is the full exception; please report it)\n{ex}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// The full exception into TM_HOME/logs/tmlake.json, through a log of its own: the command's session, and its log, closed
    /// while the exception left it. False when that file cannot be written (the settings or the disk are what failed).
    /// </summary>
    private static bool TryLogToFile(CliEnvironment environment, ParseResult parse, Exception ex, string what)
    {
        try
        {
            using var log = ProcessLog.Create(CliSession.LoadConfiguration(environment, parse).Options, environment.Variables, TextWriter.Null);
            log.Error(ex, what);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The error about a word the parser did not know comes first: "Required command was not provided" would hide the typo.</summary>
    private static string FirstError(ParseResult parse)
    {
        var unknown = parse.UnmatchedTokens.FirstOrDefault();
        return unknown is null
            ? parse.Errors[0].Message
            : parse.Errors.FirstOrDefault(e => e.Message.Contains(unknown, StringComparison.Ordinal))?.Message ?? $"unknown command or option '{unknown}'";
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    /// <summary>Exceptions whose message is meant for the user: what they typed or asked for cannot be done.</summary>
    private static string? UserMessage(Exception ex) => ex switch
    {
        UserFacingException or FormatException or FileNotFoundException or DirectoryNotFoundException => ex.Message,
        _ => null,
    };
}
