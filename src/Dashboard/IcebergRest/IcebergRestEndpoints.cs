using System.Globalization;
using Lakehouse.Core.Tables.Rest;
using Microsoft.Extensions.DependencyInjection;
using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Dashboard.IcebergRest;

/// <summary>
/// The Iceberg REST catalog under <c>/iceberg/v1</c> (and <c>/iceberg/v1/{prefix}</c> for clients that name the warehouse):
/// thin routes over <see cref="IcebergRestService"/>. With TM_API_KEY set every route, reads included, needs the bearer key.
/// </summary>
internal static class IcebergRestEndpoints
{
    public const string BasePath = "/iceberg/v1";

    public static void Map(WebApplication app)
    {
        var runtime = app.Services.GetRequiredService<LakehouseRuntime>();
        var service = IcebergRestService.For(runtime.Resources.Tables);
        var root = app.MapGroup(BasePath).ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ApiKeyCheck>().BearerAllows(context.HttpContext)
                ? await next(context)
                : new RestResult(RestErrors.Error(401, "NotAuthorizedException", "This catalog requires the API key: send 'Authorization: Bearer <TM_API_KEY>'."), false));
        if (service is null)
        {
            root.Map("/{**path}", () => new RestResult(RestErrors.Error(406, "UnsupportedOperationException",
                $"This lakehouse commits to an external REST catalog ({runtime.Options.CatalogUri}); attach your engine to that catalog instead."), false));
            return;
        }
        root.MapGet("/config", (string? warehouse) => new RestResult(service.Config(warehouse), false));
        MapCatalog(root, service);
        var prefixed = root.MapGroup("/{prefix}").AddEndpointFilter(async (context, next) =>
            service.CheckPrefix((string)context.HttpContext.GetRouteValue("prefix")!) is { } missing ? new RestResult(missing, false) : await next(context));
        MapCatalog(prefixed, service);
    }

    private static void MapCatalog(RouteGroupBuilder group, IcebergRestService s)
    {
        group.MapGet("/namespaces", (HttpContext h, string? parent, string? pageToken, string? pageSize) =>
            Run(h, ct => s.ListNamespacesAsync(parent, pageToken, PageSize(pageSize), ct)));
        group.MapPost("/namespaces", (HttpContext h, CancellationToken _) => Run(h, ct => s.CreateNamespaceAsync(Body(h), ct)));
        group.MapGet("/namespaces/{namespace}", (HttpContext h, string @namespace) => Run(h, ct => s.LoadNamespaceAsync(@namespace, ct)));
        group.MapMethods("/namespaces/{namespace}", ["HEAD"], (HttpContext h, string @namespace) => Run(h, ct => s.NamespaceExistsAsync(@namespace, ct)));
        group.MapDelete("/namespaces/{namespace}", (HttpContext h, string @namespace) => Run(h, ct => s.DropNamespaceAsync(@namespace, ct)));
        group.MapPost("/namespaces/{namespace}/properties", (HttpContext h, string @namespace) =>
            Run(h, ct => s.UpdateNamespacePropertiesAsync(@namespace, Body(h), ct)));
        group.MapGet("/namespaces/{namespace}/tables", (HttpContext h, string @namespace, string? pageToken, string? pageSize) =>
            Run(h, ct => s.ListTablesAsync(@namespace, pageToken, PageSize(pageSize), ct)));
        group.MapPost("/namespaces/{namespace}/tables", (HttpContext h, string @namespace) => Run(h, ct => s.CreateTableAsync(@namespace, Body(h), ct)));
        group.MapPost("/namespaces/{namespace}/register", (HttpContext h, string @namespace) => Run(h, ct => s.RegisterTableAsync(@namespace, Body(h), ct)));
        group.MapGet("/namespaces/{namespace}/tables/{table}", (HttpContext h, string @namespace, string table, string? snapshots) =>
            Run(h, ct => s.LoadTableAsync(@namespace, table, snapshots, h.Request.Headers.IfNoneMatch.FirstOrDefault(), ct)));
        group.MapMethods("/namespaces/{namespace}/tables/{table}", ["HEAD"], (HttpContext h, string @namespace, string table) =>
            Run(h, ct => s.TableExistsAsync(@namespace, table, ct)));
        group.MapPost("/namespaces/{namespace}/tables/{table}", (HttpContext h, string @namespace, string table) =>
            Run(h, ct => s.CommitTableAsync(@namespace, table, Body(h), ct), commits: true));
        group.MapDelete("/namespaces/{namespace}/tables/{table}", (HttpContext h, string @namespace, string table, string? purgeRequested) =>
            Run(h, ct => s.DropTableAsync(@namespace, table, string.Equals(purgeRequested, "true", StringComparison.OrdinalIgnoreCase), ct)));
        group.MapPost("/tables/rename", (HttpContext h, CancellationToken _) => Run(h, ct => s.RenameTableAsync(Body(h), ct)));
        group.MapPost("/transactions/commit", (HttpContext h, CancellationToken _) => Run(h, ct => s.CommitTransactionAsync(Body(h), ct), commits: true));
    }

    private const string BodyKey = "iceberg-rest-body";

    /// <summary>Reads the request body, then runs the call; caller errors become the error model, anything else a logged 500.</summary>
    private static async Task<RestResult> Run(HttpContext http, Func<CancellationToken, Task<RestResponse>> call, bool commits = false)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        http.Items[BodyKey] = buffer.ToArray();
        try
        {
            return new RestResult(await call(http.RequestAborted), http.Request.Method == "HEAD");
        }
        catch (Exception e) when (RestErrors.ToResponse(e) is { } error)
        {
            return new RestResult(error, http.Request.Method == "HEAD");
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<Serilog.ILogger>().Error(e, "Iceberg REST {Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            // A commit that failed after its metadata file was written may or may not have swapped: the client must not assume either.
            return new RestResult(RestErrors.Error(500, commits ? "CommitStateUnknownException" : "InternalServerError", $"{e.GetType().Name}: {e.Message}"), false);
        }
    }

    private static ReadOnlyMemory<byte> Body(HttpContext http) => http.Items[BodyKey] as byte[] ?? [];

    private static int? PageSize(string? text) =>
        text is null ? null : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new Lakehouse.Core.Tables.CatalogException(Lakehouse.Core.Tables.CatalogErrorKind.BadRequest, $"pageSize '{text}' is not a positive whole number.");
}
