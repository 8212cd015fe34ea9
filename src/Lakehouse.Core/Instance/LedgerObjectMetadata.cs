namespace Lakehouse.Core.Instance;

/// <summary>The user-metadata keys of every object the ledger describes: the link from the object back to its row.</summary>
public static class LedgerObjectMetadata
{
    /// <summary>The id of the ledger row describing the object.</summary>
    public const string LedgerId = "ledger-id";

    /// <summary>The SHA-256 of the content, lower-case hex.</summary>
    public const string Sha256 = "sha256";
}
