namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>Thrown inside a commit attempt when the table moved underneath it in a way that needs the attempt redone.</summary>
internal sealed class CommitConflictException(string message) : Exception(message);
