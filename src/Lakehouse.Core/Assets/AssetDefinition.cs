using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Assets;

/// <summary>An asset's spec together with the computation that materializes it.</summary>
public sealed record AssetDefinition(AssetSpec Spec, IAsset Compute)
{
    public AssetKey Key => Spec.Key;

    /// <summary>Declares an asset whose computation is a delegate.</summary>
    public static AssetDefinition Create(AssetSpec spec, Func<AssetExecutionContext, CancellationToken, Task<MaterializeResult>> compute)
        => new(spec, new DelegateAsset(compute));

    private sealed class DelegateAsset(Func<AssetExecutionContext, CancellationToken, Task<MaterializeResult>> compute) : IAsset
    {
        public Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken)
            => compute(context, cancellationToken);
    }
}
