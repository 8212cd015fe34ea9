using Lakehouse.Core.Execution;

namespace Lakehouse.Core.Assets;

/// <summary>The computation behind an asset: materialize one partition (or the whole asset) and describe what was written.</summary>
public interface IAsset
{
    Task<MaterializeResult> MaterializeAsync(AssetExecutionContext context, CancellationToken cancellationToken);
}
