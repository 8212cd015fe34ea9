namespace Lakehouse.Core.Assets;

/// <summary>Finds the names closest to a mistyped one, for "did you mean" hints.</summary>
internal static class CloseMatches
{
    /// <summary>Up to <paramref name="max"/> candidates that share a prefix or suffix with <paramref name="text"/> or are a few edits away, closest first.</summary>
    public static IReadOnlyList<string> Find(string text, IEnumerable<string> candidates, int max = 3)
    {
        var allowed = Math.Max(2, text.Length / 4);
        return candidates
            .Select(c => (Name: c, Score: Score(text, c, allowed)))
            .Where(c => c.Score is not null)
            .OrderBy(c => c.Score)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>"did you mean a, b?" or an empty string when nothing is close.</summary>
    public static string Hint(string text, IEnumerable<string> candidates)
    {
        var close = Find(text, candidates);
        return close.Count == 0 ? "" : $" Did you mean {string.Join(", ", close)}?";
    }

    private static int? Score(string text, string candidate, int allowed)
    {
        // A key typed without its layer (fact_rounds for gold/fact_rounds) or cut short is a near miss too.
        if (candidate.EndsWith("/" + text, StringComparison.Ordinal)) return 0;
        var distance = Distance(text, candidate);
        if (distance <= allowed) return distance;
        if (text.Length >= 3 && candidate.StartsWith(text, StringComparison.Ordinal)) return allowed + 1;
        return null;
    }

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
