namespace Lakehouse.Core.Assets;

/// <summary>Thrown when a selection string cannot be parsed or names assets, groups or patterns the graph does not have.</summary>
public sealed class AssetSelectionException(string message) : UserFacingException(message);
