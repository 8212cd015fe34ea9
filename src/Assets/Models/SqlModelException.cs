namespace TmLakehouse.Assets.Models;

/// <summary>A SQL model (or its header, or a test) that cannot load or run as written; the message names the file and line.</summary>
public sealed class SqlModelException(string message, Exception? inner = null) : Lakehouse.Core.UserFacingException(message, inner)
{
    /// <summary>The error at a place in a file, as <c>models/gold/x.sql line 3: ...</c>.</summary>
    public static SqlModelException At(string file, int line, string problem) => new($"{file} line {line}: {problem}");
}
