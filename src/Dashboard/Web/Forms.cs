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

    /// <summary>
    /// Null when the post may go on; otherwise the response to send (a 400 page or the login form, which comes back to
    /// <paramref name="returnPath"/> — e.g. the asset page with the chosen partitions ticked — or else to the page that posted).
    /// </summary>
    public static async Task<IResult?> RejectAsync(HttpContext context, string? returnPath = null)
    {
        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            return Layout.Error("Form expired", "The form's antiforgery token is missing or stale: reload the page and try again.", 400);
        if (!context.RequestServices.GetRequiredService<ApiKeyCheck>().CookieAllows(context))
            return SignIn(returnPath ?? (context.Request.Headers.Referer.ToString() is { Length: > 0 } r && Uri.TryCreate(r, UriKind.Absolute, out var referer) ? referer.PathAndQuery : "/"));
        return null;
    }

    /// <summary>Null when the page may be shown; otherwise the sign-in form, coming back to this page (pages that show data need the key).</summary>
    public static IResult? RequireSignIn(HttpContext context) =>
        context.RequestServices.GetRequiredService<ApiKeyCheck>().CookieAllows(context) ? null : SignIn(context.Request.Path + context.Request.QueryString);

    private static IResult SignIn(string returnPath) => Results.Redirect("/login?returnUrl=" + Html.Q(returnPath));
}
