namespace Lakehouse.Core.Quality;

/// <summary>A declared data-quality check of an asset; a blocking check that fails stops downstream steps.</summary>
public sealed record AssetCheckSpec(string Name, string Description, AssetCheckSeverity Severity = AssetCheckSeverity.Error, bool Blocking = true);
