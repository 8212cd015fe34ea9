namespace Lakehouse.Core.Sql;

/// <summary>A query that cannot run as written (bad SQL, an unknown table or column, an unknown snapshot); the message is DuckDB's or ours, for the user.</summary>
public sealed class LakeSqlException(string message, Exception? inner = null) : UserFacingException(message, inner);
