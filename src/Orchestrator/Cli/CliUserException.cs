namespace TmLakehouse.Orchestrator.Cli;

/// <summary>A mistake in what the user typed or asked for; the CLI prints the message alone and exits 2.</summary>
public sealed class CliUserException(string message) : Lakehouse.Core.UserFacingException(message);
