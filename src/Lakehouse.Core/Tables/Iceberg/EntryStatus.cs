namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Manifest entry status values of the spec.</summary>
internal static class EntryStatus
{
    public const int Existing = 0;
    public const int Added = 1;
    public const int Deleted = 2;
}
