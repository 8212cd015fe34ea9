using Lakehouse.Core.Instance;

namespace TmLakehouse.Assets.Bronze;

/// <summary>The metadata keys stored with every landed object (the ledger's, see <see cref="LedgerObjectMetadata"/>).</summary>
public static class BronzeObjectMetadata
{
    /// <summary>The id of the ledger row describing the object.</summary>
    public const string LedgerId = LedgerObjectMetadata.LedgerId;

    /// <summary>The SHA-256 of the content, lower-case hex.</summary>
    public const string Sha256 = LedgerObjectMetadata.Sha256;
}
