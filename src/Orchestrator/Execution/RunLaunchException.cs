namespace TmLakehouse.Orchestrator.Execution;

/// <summary>A run cannot be launched, re-executed or canceled as asked; the message says why in one line.</summary>
public sealed class RunLaunchException(string message) : Lakehouse.Core.UserFacingException(message);
