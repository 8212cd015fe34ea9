namespace Lakehouse.Core.Assets;

/// <summary>Thrown when a set of asset definitions cannot form a graph; the message lists every problem found.</summary>
public sealed class AssetGraphException(IReadOnlyList<string> problems)
    : UserFacingException(problems.Count == 1
        ? $"The asset graph is invalid: {problems[0]}"
        : $"The asset graph is invalid ({problems.Count} problems):{string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"))}")
{
    /// <summary>Each problem on its own, in the order found.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
