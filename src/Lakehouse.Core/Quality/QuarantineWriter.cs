using System.Text.Json;
using Apache.Arrow;
using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Quality;

/// <summary>Writes quarantine reports (and the rejected rows as Parquet) to the quarantine bucket, and reads them back.</summary>
public sealed class QuarantineWriter(IObjectStoreProvider objects)
{
    public const string ReportFile = "report.json";
    public const string RowsFile = "rows.parquet";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private IObjectStore Store => objects.For(Layers.Quarantine);

    /// <summary>The folder of one report: <c>&lt;layer&gt;/&lt;dim=value&gt;.../run_id=&lt;run&gt;/</c>.</summary>
    public static string FolderOf(QuarantineReport report) =>
        string.Join('/', new[] { report.Layer }
            .Concat(report.Partition.Select(p => $"{p.Key}={p.Value}"))
            .Append($"run_id={report.RunId}")) + "/";

    /// <summary>Writes the rejected rows (if any) then the report, and returns the report's key.</summary>
    public async Task<string> WriteAsync(QuarantineReport report, IReadOnlyList<RecordBatch>? rejectedRows, CancellationToken cancellationToken)
    {
        var folder = FolderOf(report);
        if (rejectedRows is { Count: > 0 })
        {
            var temp = objects.Staging.NewPath("quarantine", ".parquet");
            try
            {
                // Rejected rows break the rules by definition (a null round_id, say), so no column of theirs may be required.
                var schema = Nullable(rejectedRows[0].Schema);
                using (var writer = new ParquetSharp.Arrow.FileWriter(temp, schema))
                    foreach (var batch in rejectedRows) writer.WriteRecordBatch(new RecordBatch(schema, batch.Arrays, batch.Length));
                await Store.MoveFileAsync(folder + RowsFile, temp, null, cancellationToken);
            }
            finally
            {
                File.Delete(temp);
            }
            report = report with { RowsFile = folder + RowsFile };
        }
        var key = folder + ReportFile;
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(report, Json));
        await Store.PutAsync(key, json, null, cancellationToken);
        return key;
    }

    private static Schema Nullable(Schema schema) =>
        new(schema.FieldsList.Select(f => new Field(f.Name, f.DataType, nullable: true, f.Metadata)), schema.Metadata);

    /// <summary>Every report key, optionally under a prefix such as <c>silver/course_id=erinhills/</c>.</summary>
    public async Task<IReadOnlyList<string>> ListReportKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync(prefix, cancellationToken))
            if (info.Key.EndsWith("/" + ReportFile, StringComparison.Ordinal)) keys.Add(info.Key);
        return keys;
    }

    public async Task<QuarantineReport> ReadAsync(string reportKey, CancellationToken cancellationToken)
    {
        await using var stream = await Store.OpenReadAsync(reportKey, cancellationToken);
        return await JsonSerializer.DeserializeAsync<QuarantineReport>(stream, Json, cancellationToken)
               ?? throw new InvalidDataException($"Quarantine report {reportKey} is empty.");
    }
}
