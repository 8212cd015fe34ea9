namespace Lakehouse.Core.Instance;

/// <summary>A ledger row for a lake object that already has one with other content: objects are never silently replaced.</summary>
public sealed class LedgerKeyTakenException(string layer, string key)
    : Exception($"{layer}/{key} is already in the ledger with other content; store the new content under another key.")
{
    public string Layer { get; } = layer;
    public string Key { get; } = key;
}
