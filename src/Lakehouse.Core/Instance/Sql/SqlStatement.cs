namespace Lakehouse.Core.Instance.Sql;

/// <summary>The kinds of values a statement binds; each dialect stores them its own way (a time is ticks in SQLite, timestamptz in PostgreSQL).</summary>
internal enum SqlType { Text, Json, Int, Long, Bool, Time, TextList }

/// <summary>One named, typed value of a statement.</summary>
internal readonly record struct SqlArg(string Name, SqlType Type, object? Value);

/// <summary>
/// One statement in the SQL both databases read (parameters written <c>@name</c>), with typed arguments the dialect binds.
/// </summary>
internal sealed class SqlStatement(string sql, bool returnsRows = false)
{
    private readonly List<SqlArg> _args = [];

    public string Sql { get; } = sql;

    /// <summary>True when the statement returns rows a caller reads (a SELECT, an INSERT ... RETURNING).</summary>
    public bool ReturnsRows { get; } = returnsRows;

    public IReadOnlyList<SqlArg> Args => _args;

    public static SqlStatement Read(string sql) => new(sql, returnsRows: true);

    public SqlStatement Text(string name, string? value) => Add(name, SqlType.Text, value);
    public SqlStatement Json(string name, string? value) => Add(name, SqlType.Json, value);
    public SqlStatement Int(string name, int value) => Add(name, SqlType.Int, value);
    public SqlStatement Long(string name, long? value) => Add(name, SqlType.Long, value);
    public SqlStatement Bool(string name, bool value) => Add(name, SqlType.Bool, value);
    public SqlStatement Time(string name, DateTimeOffset? value) => Add(name, SqlType.Time, value);
    /// <summary>A list compared with <see cref="SqlDialect.AnyOf"/>.</summary>
    public SqlStatement TextList(string name, IReadOnlyList<string> values) => Add(name, SqlType.TextList, values);

    private SqlStatement Add(string name, SqlType type, object? value)
    {
        _args.Add(new SqlArg(name, type, value));
        return this;
    }
}
