using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Assets;

/// <summary>Where an asset keeps its partitions: the layout downstream steps read it through (the load side of a Dagster IO manager).</summary>
public abstract record AssetStorage;

/// <summary>
/// Objects in a layer's bucket, one folder per partition, Hive style: <c>course_id=erinhills/ingest_date=2025-06-01/</c>
/// (a single-dimension key is <c>&lt;value&gt;/</c>; an unpartitioned asset is the whole bucket).
/// </summary>
public sealed record ObjectFolderStorage(string Layer) : AssetStorage
{
    /// <summary>The folder of one partition, ending with '/' (empty for the whole bucket).</summary>
    public string FolderOf(PartitionKey? partition)
    {
        if (partition is null) return "";
        var dimensions = partition.Dimensions;
        // Dimensions come in the key's order, which is the partitions definition's.
        return dimensions.Count == 0 ? partition.Value + "/" : string.Concat(dimensions.Select(d => $"{d.Key}={d.Value}/"));
    }
}
