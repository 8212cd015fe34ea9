namespace TmLakehouse.Orchestrator.Cli;

/// <summary>What `tmlake` exits with (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Done; a run that was followed succeeded.</summary>
    public const int Success = 0;

    /// <summary>A run failed (a step or a gate), a file was rejected, or an internal error (please report it).</summary>
    public const int Failed = 1;

    /// <summary>The input is wrong: unknown asset, bad partition key, bad course id or date, missing file.</summary>
    public const int UserError = 2;

    /// <summary>The machine failed: a full or read-only disk, denied access, a database or object store out of reach.</summary>
    public const int Environment = 3;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Canceled = 130;
}
