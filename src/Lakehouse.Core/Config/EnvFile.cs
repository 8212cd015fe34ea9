using System.Text;
using System.Text.RegularExpressions;

namespace Lakehouse.Core.Config;

/// <summary>One <c>KEY=VALUE</c> line of an env file, with where it was read.</summary>
public sealed record EnvEntry(string Key, string Value, string File, int Line)
{
    public string Source => $"{File} line {Line}";
}

/// <summary>
/// Reads env files as docker compose does: <c>KEY=VALUE</c> lines, <c>#</c> comments, blank lines, an optional
/// <c>export</c> prefix, values in single quotes (literal) or double quotes. <c>${NAME}</c> in unquoted or double-quoted
/// values is replaced from the environment or an earlier line, so a file can name secrets without holding them.
/// </summary>
public static partial class EnvFile
{
    public static IReadOnlyList<EnvEntry> Read(string path, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"Env file {path} does not exist.");
        var entries = new List<EnvEntry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = Assignment().Match(line);
            // The line's text stays out of the error: a malformed line is often a pasted secret.
            if (!match.Success)
                throw new ConfigurationException(
                    $"{path} line {lineNumber}: expected KEY=VALUE (KEY of letters, digits and _, starting with a letter or _); {ShapeOf(line)}. " +
                    "The line itself is not shown, as it may hold a secret.");
            var key = match.Groups["key"].Value;
            var value = ParseValue(match.Groups["value"].Value, path, lineNumber, environment, seen);
            seen[key] = value;
            entries.Add(new EnvEntry(key, value, path, lineNumber));
        }
        return entries;
    }

    /// <summary>What is wrong with a line, told without any of its characters.</summary>
    private static string ShapeOf(string line) => line.IndexOf('=') switch
    {
        < 0 => "the line has no '='",
        0 => "the line starts with '='",
        _ => "the part before the first '=' is not such a name",
    };

    private static string ParseValue(string text, string path, int line, IReadOnlyDictionary<string, string> environment, Dictionary<string, string> seen)
    {
        text = text.Trim();
        if (text.StartsWith('\''))
        {
            if (text.Length < 2 || !text.EndsWith('\''))
                throw new ConfigurationException($"{path} line {line}: the value opens a single quote and never closes it.");
            return text[1..^1];
        }
        if (text.StartsWith('"'))
        {
            if (text.Length < 2 || !text.EndsWith('"'))
                throw new ConfigurationException($"{path} line {line}: the value opens a double quote and never closes it.");
            return Expand(Unescape(text[1..^1]), path, line, environment, seen);
        }
        // An unquoted value ends at " #", as in compose files; a '#' inside a word (a password) stays.
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0) text = text[..comment].TrimEnd();
        return Expand(text, path, line, environment, seen);
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] switch { 'n' => '\n', 't' => '\t', var c => c });
            }
            else result.Append(text[i]);
        }
        return result.ToString();
    }

    private static string Expand(string text, string path, int line, IReadOnlyDictionary<string, string> environment, Dictionary<string, string> seen) =>
        Reference().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            if (environment.TryGetValue(name, out var fromEnvironment)) return fromEnvironment;
            if (seen.TryGetValue(name, out var fromFile)) return fromFile;
            throw new ConfigurationException($"{path} line {line}: ${{{name}}} is not set in the environment or earlier in the file.");
        });

    [GeneratedRegex(@"^(export\s+)?(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*=(?<value>.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
