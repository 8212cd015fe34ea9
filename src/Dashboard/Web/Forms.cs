using Microsoft.AspNetCore.Antiforgery;
using TmLakehouse.Dashboard.Hosting;

namespace TmLakehouse.Dashboard.Web;

/// <summary>Dashboard forms: the antiforgery field every POST form carries, and the checks a POST must pass.</summary>
internal static class Forms
{
    public static string Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">";
    }

    /// <summary>Null when the post may go on; otherwise the response to send (a 400 page or the login form).</summary>
    public static async Task<IResult?> RejectAsync(HttpContext context)
    {
        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            return Layout.Error("Form expired", "The form's antiforgery token is missing or stale: reload the page and try again.", 400);
        if (!context.RequestServices.GetRequiredService<ApiKeyCheck>().CookieAllows(context))
            return Results.Redirect("/login?returnUrl=" + Html.Q(context.Request.Headers.Referer.ToString() is { Length: > 0 } r ? new Uri(r).PathAndQuery : "/"));
        return null;
    }
}
