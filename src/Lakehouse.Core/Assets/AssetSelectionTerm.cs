using System.Text.RegularExpressions;

namespace Lakehouse.Core.Assets;

/// <summary>One comma-separated term of a selection: a key, a key glob or a group, optionally widened up- and/or downstream.</summary>
internal sealed record AssetSelectionTerm(AssetSelectionTerm.TermKind Kind, string Name, bool WithUpstream, bool WithDownstream)
{
    public enum TermKind { Key, Glob, Group }

    private const string GroupPrefix = "group:";

    public static AssetSelectionTerm Parse(string term, string selection)
    {
        var core = term.Trim();
        var up = CountAndStrip(ref core, leading: true, term, selection);
        var down = CountAndStrip(ref core, leading: false, term, selection);
        if (core.Length == 0) throw Bad(term, selection, "it names no asset");

        if (core.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var group = core[GroupPrefix.Length..].Trim();
            if (!IsName(group))
                throw Bad(term, selection, "write group:<name> with letters, digits, '_', '-' or '.'");
            return new(TermKind.Group, group, up, down);
        }
        if (core.Contains('*'))
        {
            if (core.Split('/').Any(p => p.Length == 0 || !p.All(c => c == '*' || IsNameChar(c))))
                throw Bad(term, selection, "a pattern is path parts of letters, digits, '_', '-', '.' or '*', joined by '/'");
            return new(TermKind.Glob, core, up, down);
        }
        try
        {
            return new(TermKind.Key, AssetKey.Parse(core).Value, up, down);
        }
        catch (ArgumentException e)
        {
            throw Bad(term, selection, e.Message.Split(" (Parameter")[0]);
        }
    }

    /// <summary>Whether <paramref name="key"/> matches this glob: '*' stays within a path part, except a final '/*' that takes everything below.</summary>
    public bool Matches(AssetKey key)
    {
        var pattern = Name.Split('/');
        var parts = key.Parts;
        var rest = pattern[^1] == "*";
        if (rest ? parts.Count < pattern.Length : parts.Count != pattern.Length) return false;
        for (var i = 0; i < pattern.Length - (rest ? 1 : 0); i++)
            if (!PartMatches(pattern[i], parts[i])) return false;
        return true;
    }

    public override string ToString() =>
        (WithUpstream ? "+" : "") + (Kind == TermKind.Group ? GroupPrefix : "") + Name + (WithDownstream ? "+" : "");

    private static bool PartMatches(string pattern, string part) =>
        Regex.IsMatch(part, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    /// <summary>Whether a group name can be written in a selection.</summary>
    public static bool IsName(string name) => name.Length > 0 && name.All(IsNameChar);

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool CountAndStrip(ref string core, bool leading, string term, string selection)
    {
        var count = 0;
        while (core.Length > 0 && (leading ? core[0] : core[^1]) == '+')
        {
            core = (leading ? core[1..] : core[..^1]).Trim();
            count++;
        }
        if (count > 1) throw Bad(term, selection, $"use a single '+' {(leading ? "before" : "after")} the name (it already means every level)");
        return count == 1;
    }

    private static AssetSelectionException Bad(string term, string selection, string why) =>
        new($"Cannot read '{term.Trim()}' in asset selection '{selection}': {why}.");
}
