namespace TmLakehouse.Dashboard.Web;

/// <summary>The page shell every dashboard page shares: title, navigation and the one stylesheet.</summary>
internal static class Layout
{
    public static IResult Page(string title, string body, bool refresh = false, int status = 200) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        {(refresh ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")}
        <title>{Html.E(title)} · TmLakehouse</title><link rel="stylesheet" href="/static/site.css"></head>
        <body><header class="top"><span class="brand">TmLakehouse</span><nav>
        <a href="/">Assets</a><a href="/catalog">Catalog</a><a href="/runs">Runs</a><a href="/backfills">Backfills</a><a href="/quarantine">Quarantine</a><a href="/ledger">Ledger</a><a href="/schedules">Schedules</a><a href="/sensors">Sensors</a><a href="/docs">Docs</a><a href="/hangfire">Jobs</a><a href="/openapi/v1.json">API</a>
        </nav></header><main>{body}</main></body></html>
        """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    public static IResult Error(string title, string message, int status) =>
        Page(title, $"<h1>{Html.E(title)}</h1><div class=\"card\"><p class=\"error\">{Html.E(message)}</p><p><a href=\"/\">Back to the dashboard</a></p></div>", status: status);
}
