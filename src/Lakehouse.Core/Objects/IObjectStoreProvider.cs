namespace Lakehouse.Core.Objects;

/// <summary>Gives the object store of each layer (landing, bronze, silver, gold, quarantine, observability).</summary>
public interface IObjectStoreProvider
{
    IObjectStore For(string layer);

    /// <summary>The local folder where files bound for or read from these stores are staged (TM_HOME/staging).</summary>
    LocalStaging Staging { get; }
}
