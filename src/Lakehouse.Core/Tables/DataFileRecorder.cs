namespace Lakehouse.Core.Tables;

/// <summary>
/// Called for each data file before a table writer puts it; the user metadata it returns is stored with the object. The ledger
/// uses it to write a file's row first and have the object carry the row's id, as Bronze landing does for the files it lands.
/// </summary>
public delegate Task<IReadOnlyDictionary<string, string>?> DataFileRecorder(DataFileToStore file, CancellationToken cancellationToken);
