using System.Text.Json;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Execution;
using TmLakehouse.Dashboard.Web;
using TmLakehouse.Orchestrator.Execution;
using TmLakehouse.Orchestrator.Schedules;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// Turns what a caller got wrong (bad selection, partition key, JSON, unknown schedule) into 400/404 — RFC 7807 problem details
/// under /api, an error page elsewhere — so user mistakes never surface as 500.
/// </summary>
internal static class ErrorHandling
{
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception ex) when (StatusOf(ex) is { } status && !context.Response.HasStarted)
        {
            context.Response.Clear();
            var title = status == 404 ? "Not found" : "Bad request";
            var result = IsApi(context) ? Problem(status, title, ex.Message) : Layout.Error(title, ex.Message, status);
            await result.ExecuteAsync(context);
        }
    }

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    private static int? StatusOf(Exception ex) => ex switch
    {
        ScheduleNotFoundException => 404,
        AssetSelectionException or RunPlanException or RunLaunchException or AssetGraphException or FormatException or JsonException or ArgumentException => 400,
        BadHttpRequestException bad => bad.StatusCode,
        _ => null,
    };
}
