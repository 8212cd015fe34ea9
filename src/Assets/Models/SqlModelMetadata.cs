namespace TmLakehouse.Assets.Models;

/// <summary>
/// A figure a model reports in the materialization metadata of every step that computes it: <see cref="Expression"/> is an
/// aggregate over the model's rows (those meeting <see cref="Where"/>, if given), e.g. <c>count(DISTINCT round_id)</c>. An
/// ephemeral model's figures are reported by each step that inlines it.
/// </summary>
public sealed record SqlModelMetadata(string Name, string Expression, string File, int Line)
{
    public string? Where { get; init; }
    public string Description { get; init; } = "";

    /// <summary>The query that computes the figure over <paramref name="relation"/>.</summary>
    public string QueryOver(string relation) => $"SELECT {Expression} FROM {relation}" + (Where is null ? "" : $" WHERE {Where}");
}
