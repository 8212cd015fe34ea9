using Lakehouse.Core.Assets;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// One <see cref="AssetKey"/> per distinct text while reading many rows: validating the same key again for every row
/// cost more than reading the row.
/// </summary>
internal sealed class AssetKeyCache
{
    private readonly Dictionary<string, AssetKey> _keys = new(StringComparer.Ordinal);
    private AssetKey? _last;

    public AssetKey Get(string text)
    {
        // Rows usually come ordered by asset, so the previous row's key is the likely answer.
        if (_last is not null && string.Equals(_last.Value, text, StringComparison.Ordinal)) return _last;
        if (!_keys.TryGetValue(text, out var key)) _keys.Add(text, key = new AssetKey(text));
        return _last = key;
    }
}
