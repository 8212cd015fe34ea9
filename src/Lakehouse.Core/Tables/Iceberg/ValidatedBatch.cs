using Apache.Arrow;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// A batch that passed a <see cref="PartitionedFileWriter"/>'s checks: its columns in table field order (null where the batch
/// has none), the rows to write, and the batch's length.
/// </summary>
internal sealed record ValidatedBatch(IArrowArray?[] Columns, IReadOnlyList<int> Rows, int Length);
