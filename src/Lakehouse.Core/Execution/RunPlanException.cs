namespace Lakehouse.Core.Execution;

/// <summary>Thrown when a run request cannot be turned into a plan (missing or unfitting partition keys).</summary>
public sealed class RunPlanException(string message, Exception? inner = null) : UserFacingException(message, inner);
