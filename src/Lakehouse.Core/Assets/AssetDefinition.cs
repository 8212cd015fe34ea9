using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Assets;

/// <summary>
/// An asset's spec together with the computation that materializes it. A multi-asset definition owns several specs: one
/// computation (one step per partition) materializes all of them and reports a result for each.
/// </summary>
public sealed record AssetDefinition(AssetSpec Spec, IAsset Compute)
{
    /// <summary>The step's own asset: steps of this definition are keyed by it.</summary>
    public AssetKey Key => Spec.Key;

    /// <summary>The other specs of a multi-asset definition (empty for a single asset).</summary>
    public IReadOnlyList<AssetSpec> OtherSpecs { get; init; } = [];

    /// <summary>Every spec, the step's own first.</summary>
    public IReadOnlyList<AssetSpec> Specs => [Spec, .. OtherSpecs];

    /// <summary>Every asset key this definition materializes, the step's own first.</summary>
    public IReadOnlyList<AssetKey> Keys => [Spec.Key, .. OtherSpecs.Select(s => s.Key)];

    /// <summary>The spec of one of this definition's assets.</summary>
    public AssetSpec SpecOf(AssetKey key) =>
        Specs.FirstOrDefault(s => s.Key == key) ?? throw new KeyNotFoundException($"Asset {key} is not materialized by the definition of {Key}.");

    /// <summary>Declares an asset whose computation is a delegate.</summary>
    public static AssetDefinition Create(AssetSpec spec, Func<AssetExecutionContext, CancellationToken, Task<MaterializeResult>> compute)
        => new(spec, new DelegateAsset(compute));

    /// <summary>
    /// Declares one computation that materializes several assets in one pass; the first spec names its steps. Every spec
    /// has the same partitions (one step runs them together) and the computation returns a result for each.
    /// </summary>
    public static AssetDefinition Multi(IReadOnlyList<AssetSpec> specs, IAsset compute)
    {
        if (specs.Count == 0) throw new ArgumentException("A multi-asset definition needs at least one spec.", nameof(specs));
        return new AssetDefinition(specs[0], compute) { OtherSpecs = specs.Skip(1).ToList() };
    }

    private sealed class DelegateAsset(Func<AssetExecutionContext, CancellationToken, Task<MaterializeResult>> compute) : IAsset
    {
        public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
            => compute(context, cancellationToken);
    }
}
