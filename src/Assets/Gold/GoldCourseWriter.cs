using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Replaces one course's rows of a Gold table in one commit: rows are built with <see cref="Row"/>, ended with
/// <see cref="EndRowAsync"/>, and go to the table in batches of <see cref="BatchRows"/> so memory stays flat.
/// </summary>
internal sealed class GoldCourseWriter : IAsyncDisposable
{
    public const int BatchRows = 8192;
    private readonly ITableWriter _writer;

    private GoldCourseWriter(ILakeTable table, ITableWriter writer)
    {
        Table = table;
        _writer = writer;
        Row = new GoldBatchBuilder(table.ArrowSchema, table.Id.ToString());
    }

    public ILakeTable Table { get; }

    /// <summary>The row being built.</summary>
    public GoldBatchBuilder Row { get; }

    public long RowsWritten { get; private set; }

    public static async Task<GoldCourseWriter> OpenAsync(ITableCatalog tables, TableDefinition definition, string courseId, CancellationToken cancellationToken)
    {
        var table = await tables.CreateOrLoadAsync(definition, cancellationToken);
        return new GoldCourseWriter(table, table.NewReplace(RowFilter.Where(("course_id", courseId))));
    }

    public ValueTask EndRowAsync(CancellationToken cancellationToken)
    {
        EndRow();
        return FlushAsync(cancellationToken);
    }

    /// <summary>Ends the row without writing; a later <see cref="FlushAsync"/> writes the batch once it is full.</summary>
    public void EndRow()
    {
        Row.EndRow();
        RowsWritten++;
    }

    /// <summary>Writes the rows built so far once they fill a batch.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Row.Count >= BatchRows) await _writer.WriteAsync(Row.Build(), cancellationToken);
    }

    /// <summary>Writes what is left and commits; the course's old rows disappear in the same snapshot.</summary>
    public async Task<TableCommit> CommitAsync(IReadOnlyDictionary<string, string> summary, CancellationToken cancellationToken)
    {
        if (Row.Count > 0) await _writer.WriteAsync(Row.Build(), cancellationToken);
        return await _writer.CommitAsync(summary, cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
