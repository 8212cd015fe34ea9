using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Lakehouse.Core.Sql;
using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Models;

/// <summary>The text of a model file: its front matter, its <c>ref()</c>s and a syntax check by DuckDB's own parser.</summary>
internal static partial class SqlModelText
{
    /// <summary>Splits <c>---</c>-delimited front matter from the SQL; the body's first line number is returned with it.</summary>
    public static (string? Header, int HeaderLine, string Body, int BodyLine) Split(string text, string file)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd() != "---") return (null, 0, text, 1);
        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---");
        if (end < 0) throw SqlModelException.At(file, 1, "the front matter starts with --- but no closing --- line follows.");
        return (string.Join('\n', lines[1..end]), 2, string.Join('\n', lines[(end + 1)..]), end + 2);
    }

    /// <summary>Every <c>ref('ns.name')</c> with its line, and the SQL with each replaced by <c>"ns"."name"</c>.</summary>
    public static (string Sql, IReadOnlyList<SqlRef> Refs) ResolveRefs(string body, int bodyLine, string file)
    {
        var refs = new List<SqlRef>();
        var sql = RefCall().Replace(body, match =>
        {
            var line = bodyLine + body.AsSpan(0, match.Index).Count('\n');
            var name = match.Groups["name"].Value;
            var table = ParseTableName(name) ?? throw SqlModelException.At(file, line, $"ref('{name}') does not name a table: write ref('layer.name'), e.g. ref('silver.fact_telemetry_event').");
            refs.Add(new SqlRef(table, line));
            return $"{SnapshotView.Quote(table.Namespace)}.{SnapshotView.Quote(table.Name)}";
        });
        var stray = StrayRef().Match(sql);
        if (stray.Success)
            throw SqlModelException.At(file, bodyLine + sql.AsSpan(0, stray.Index).Count('\n'), "ref( must be followed by one quoted name, e.g. ref('gold.fact_rounds').");
        return (sql, refs);
    }

    /// <summary><c>ns.name</c> or <c>ns/name</c> (letters, digits, '_'), or null.</summary>
    public static TableIdentifier? ParseTableName(string text)
    {
        var match = TableName().Match(text);
        return match.Success ? new TableIdentifier(match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    /// <summary>Parses (does not run) the SQL with DuckDB; a syntax error is reported at its line of the file.</summary>
    public static void CheckSyntax(DuckDBConnection connection, string sql, int bodyLine, string file)
    {
        using var command = connection.CreateCommand();
        // The function takes a constant only, so the text goes in as a literal.
        command.CommandText = $"SELECT json_serialize_sql('{sql.Replace("'", "''", StringComparison.Ordinal)}')";
        var json = (string)command.ExecuteScalar()!;
        using var result = JsonDocument.Parse(json);
        var root = result.RootElement;
        if (!root.GetProperty("error").GetBoolean())
        {
            if (root.GetProperty("statements").GetArrayLength() != 1)
                throw SqlModelException.At(file, bodyLine, "a model is one SELECT statement (found several; remove the extra ';').");
            return;
        }
        var position = root.TryGetProperty("position", out var p) && int.TryParse(p.GetString(), out var at) ? Math.Min(at, sql.Length) : 0;
        var line = bodyLine + sql.AsSpan(0, position).Count('\n');
        throw SqlModelException.At(file, line, $"SQL {root.GetProperty("error_message").GetString()}");
    }

    [GeneratedRegex(@"\bref\(\s*(?:'(?<name>[^'\n]*)'|""(?<name>[^""\n]*)"")\s*\)")]
    private static partial Regex RefCall();

    [GeneratedRegex(@"\bref\(")]
    private static partial Regex StrayRef();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)[./]([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex TableName();
}
