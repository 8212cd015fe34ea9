namespace Lakehouse.Core.Objects;

/// <summary>Gives the object store of each layer (landing, bronze, silver, gold, quarantine, observability).</summary>
public interface IObjectStoreProvider
{
    IObjectStore For(string layer);
}
