using TmLakehouse.Dashboard.Hosting;

namespace TmLakehouse.Dashboard.Api;

/// <summary>The endpoint filter on API mutations: when TM_API_KEY is set, a request needs <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
internal static class ApiAuth
{
    public static TBuilder RequireKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ApiKeyCheck>().BearerAllows(context.HttpContext)
                ? await next(context)
                : ErrorHandling.Problem(401, "Unauthorized", "This server requires an API key for changes: send 'Authorization: Bearer <TM_API_KEY>'."));
}
