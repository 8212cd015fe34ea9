namespace Lakehouse.Core.Tables;

/// <summary>What a namespace properties update did: keys set, keys removed, and keys asked for removal that were not there.</summary>
public sealed record NamespacePropertiesChange(IReadOnlyList<string> Updated, IReadOnlyList<string> Removed, IReadOnlyList<string> Missing);
