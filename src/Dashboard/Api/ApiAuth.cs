using TmLakehouse.Dashboard.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>
/// Endpoint filters for TM_API_KEY: API mutations need <c>Authorization: Bearer &lt;key&gt;</c>; API reads that show data need the
/// bearer key or the dashboard's login cookie. Without a key configured both pass.
/// </summary>
internal static class ApiAuth
{
    public static TBuilder RequireKeyToRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ApiKeyCheck>().DataReadAllows(context.HttpContext)
                ? await next(context)
                : ErrorHandling.Problem(401, "Unauthorized", "This server requires the API key to read data: send 'Authorization: Bearer <TM_API_KEY>'."));

    public static TBuilder RequireKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ApiKeyCheck>().BearerAllows(context.HttpContext)
                ? await next(context)
                : ErrorHandling.Problem(401, "Unauthorized", "This server requires an API key for changes: send 'Authorization: Bearer <TM_API_KEY>'."));
}
