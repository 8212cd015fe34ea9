using Microsoft.AspNetCore.Http;

namespace TmLakehouse.Dashboard.Web;

/// <summary>
/// The assets picked on the graph or the catalog, carried in the page's query (<c>select=a&amp;select=b</c>) rather than in script
/// state: picking a node is a link, the choice survives a reload, and a sign-in in between comes back to the same choice.
/// </summary>
internal static class PickedAssets
{
    public const string Parameter = "select";
    /// <summary>The hidden form field that names the page a Materialize form came from (with its filters), for the way back after sign-in.</summary>
    public const string FromField = "from";

    public static IReadOnlySet<string> Read(HttpRequest request) =>
        request.Query[Parameter].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToHashSet(StringComparer.Ordinal);

    /// <summary><paramref name="path"/> with <paramref name="query"/> (minus any selection) and then the given selection.</summary>
    public static string Url(string path, IQueryCollection query, IEnumerable<string> selection)
    {
        var pairs = query.Where(p => p.Key != Parameter).SelectMany(p => p.Value.Select(v => $"{Html.Q(p.Key)}={Html.Q(v)}"))
            .Concat(selection.Order(StringComparer.Ordinal).Select(s => $"{Parameter}={Html.Q(s)}")).ToList();
        return pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs);
    }

    /// <summary>The selection with <paramref name="asset"/> added, or removed when it was in it.</summary>
    public static IEnumerable<string> Toggle(IReadOnlySet<string> selection, string asset) =>
        selection.Contains(asset) ? selection.Where(s => s != asset) : selection.Append(asset);

    /// <summary>The hidden field naming this page and its query, checked to be local before it is followed.</summary>
    public static string FromInput(HttpRequest request) =>
        $"<input type=\"hidden\" name=\"{FromField}\" value=\"{Html.E(request.Path + Url("", request.Query, []))}\">";
}
