namespace TmLakehouse.Dashboard.Pages;

/// <summary>The tabs over the Runs and Backfills pages, as in Dagster's Runs view: a backfill is a kind of run a user looks for beside them.</summary>
internal static class RunsTabs
{
    public static string Nav(string active) =>
        "<nav class=\"tabs\" id=\"runs-tabs\">" +
        $"<a href=\"/runs\"{(active == "runs" ? " class=\"active\"" : "")}>Runs</a>" +
        $"<a href=\"/backfills\"{(active == "backfills" ? " class=\"active\"" : "")}>Backfills</a></nav>";
}
