using Lakehouse.Core.Execution;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.Pages;

/// <summary>
/// The dashboard's form posts: materialize, cancel, re-execute, schedule on/off and the key login (rate-limited). Each checks
/// antiforgery and the key; <see cref="Hosting.RequestGuard"/> has already refused posts from other sites.
/// </summary>
internal static class DashboardActions
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/actions/materialize", async (HttpContext http, LakehouseRuntime runtime, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (await Forms.RejectAsync(http, SelectionPath(form)) is { } rejected) return rejected;
            var mode = form["mode"].ToString();
            var assets = form["asset"].Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!.Trim()).Distinct().ToList();
            if (assets.Count > 1)
            {
                // A selection from the catalog or the graph: every partition of each chosen asset, in one run.
                var unknown = assets.Where(a => !AssetPage.TryKey(a, out var k) || !runtime.Graph.Contains(k)).ToList();
                if (unknown.Count > 0) return Layout.Error("Unknown asset", $"There is no asset '{unknown[0]}'.", 400);
                var selected = await runtime.Coordinator.LaunchAsync(new RunRequest(string.Join(",", assets))
                {
                    AllPartitions = true,
                    Tags = new Dictionary<string, string> { ["launched_by"] = "dashboard" },
                }, ct);
                return Results.Redirect($"/runs/{Html.Q(selected)}");
            }
            var asset = assets.FirstOrDefault() ?? "";
            var chosen = form["partition"].Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim())
                .Concat(form["partitions_text"].ToString().Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Distinct().ToList();
            if (!AssetPage.TryKey(asset, out var key) || !runtime.Graph.Contains(key))
                return Layout.Error("Unknown asset", $"There is no asset '{asset}'.", 400);
            if (runtime.Graph.Spec(key).Partitions is not null && mode != "all" && chosen.Count == 0)
                return Layout.Error("No partition chosen", "Tick at least one partition or type a key, or use \"All partitions\".", 400);
            var request = new RunRequest(mode == "upstream" ? "+" + key.Value : key.Value)
            {
                Partitions = mode == "all" ? [] : chosen,
                AllPartitions = mode == "all",
                Tags = new Dictionary<string, string> { ["launched_by"] = "dashboard" },
            };
            var runId = await runtime.Coordinator.LaunchAsync(request, ct);
            return Results.Redirect($"/runs/{Html.Q(runId)}");
        });
        app.MapPost("/actions/runs/{id}/cancel", async (HttpContext http, string id, LakehouseRuntime runtime, CancellationToken ct) =>
        {
            if (await Forms.RejectAsync(http) is { } rejected) return rejected;
            await runtime.Coordinator.CancelAsync(id, ct);
            return Results.Redirect($"/runs/{Html.Q(id)}");
        });
        app.MapPost("/actions/runs/{id}/reexecute", async (HttpContext http, string id, LakehouseRuntime runtime, CancellationToken ct) =>
        {
            if (await Forms.RejectAsync(http) is { } rejected) return rejected;
            var newId = await runtime.Coordinator.ReexecuteAsync(id, ct);
            return Results.Redirect($"/runs/{Html.Q(newId)}");
        });
        app.MapPost("/actions/schedules/{name}", async (HttpContext http, string name, LakehouseRuntime runtime, CancellationToken ct) =>
        {
            if (await Forms.RejectAsync(http) is { } rejected) return rejected;
            var schedule = runtime.Schedules.Catalog.Get(name);
            var form = await http.Request.ReadFormAsync(ct);
            await runtime.Instance.Scheduling.SetEnabledAsync(schedule.Name, form["enabled"] == "true", ct);
            return Results.Redirect("/schedules");
        });
        app.MapPost("/actions/sensors/{name}", async (HttpContext http, string name, LakehouseRuntime runtime, CancellationToken ct) =>
        {
            if (await Forms.RejectAsync(http) is { } rejected) return rejected;
            var sensor = runtime.Sensors.Catalog.Get(name);
            var form = await http.Request.ReadFormAsync(ct);
            await runtime.Instance.Scheduling.SetEnabledAsync(sensor.Name, form["enabled"] == "true", ct);
            return Results.Redirect("/sensors");
        });
        app.MapGet("/login", (HttpContext http, string? returnUrl) => Layout.Page("Sign in", $"""
            <h1>Sign in</h1><div class="card"><p>Changes need the API key this server was started with (TM_API_KEY).</p>
            <form method="post" action="/login">{Forms.Token(http)}<input type="hidden" name="returnUrl" value="{Html.E(returnUrl)}">
            <p><input type="password" name="key" placeholder="API key" autofocus> <button>Sign in</button></p></form></div>
            """));
        app.MapPost("/login", async (HttpContext http, ApiKeyCheck keys, CancellationToken ct) =>
        {
            if (!await http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(http))
                return Layout.Error("Form expired", "Reload the sign-in page and try again.", 400);
            var form = await http.Request.ReadFormAsync(ct);
            if (!keys.Matches(form["key"].ToString())) return Layout.Error("Wrong key", "That is not the server's API key.", 401);
            http.Response.Cookies.Append(ApiKeyCheck.CookieName, keys.CookieValue(), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            // Only local paths: the login form must not become an open redirect.
            return Results.Redirect(LocalPaths.OrHome(form["returnUrl"].ToString()));
        }).RequireRateLimiting(LoginRateLimit.Policy);
    }

    /// <summary>The page a Materialize form came from with its choice in the query, so signing in first does not lose it.</summary>
    private static string? SelectionPath(IFormCollection form)
    {
        var assets = form["asset"].Where(a => !string.IsNullOrWhiteSpace(a)).ToList();
        // The graph and the catalog name themselves (with their search and filters); the ticked assets go back as their selection.
        if (form[PickedAssets.FromField].ToString() is { Length: > 0 } from && LocalPaths.IsLocal(from))
        {
            var uri = new Uri(new Uri("http://local"), from);
            return PickedAssets.Url(uri.AbsolutePath, new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)), assets.Select(a => a!.Trim()));
        }
        if (assets.Count != 1) return null;
        var chosen = form["partition"].Concat(form["partitions_text"].ToString().Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(p => !string.IsNullOrWhiteSpace(p)).Distinct();
        return $"/assets/{Html.PathOf(assets[0]!.Trim())}{string.Concat(chosen.Select((p, i) => (i == 0 ? "?" : "&") + "partition=" + Html.Q(p)))}";
    }
}
