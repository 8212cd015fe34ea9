namespace Lakehouse.Core.Execution.Steps;

/// <summary>Whether trying a failed step again could give another outcome.</summary>
public enum FailureKind
{
    /// <summary>The same input fails the same way (bad input, a failed gate, nothing landed): never retried.</summary>
    Deterministic,
    /// <summary>The world was in the way (I/O, the network, the database): retried per the asset's policy.</summary>
    Transient,
    /// <summary>Neither known: retried per the asset's policy, since the asset's author asked for retries.</summary>
    Unknown,
}
