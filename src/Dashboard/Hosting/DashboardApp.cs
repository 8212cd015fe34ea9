using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using TmLakehouse.Dashboard.Api;
using TmLakehouse.Dashboard.Pages;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Schedules;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>Builds the web app over an open runtime: dashboard pages, the REST API with its OpenAPI document, and the Hangfire dashboard.</summary>
public static class DashboardApp
{
    public static WebApplication Build(LakehouseRuntime runtime, DashboardSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(runtime.Services.GetRequiredService<Serilog.ILogger>());
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ApiKeyCheck>();
        builder.Services.AddSingleton<RequestGuard>();
        // The antiforgery key ring lives with the instance, not in $HOME/.aspnet of whoever runs the server.
        builder.Services.AddDataProtection().SetApplicationName("tmlake")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(runtime.Options.Home, "data-protection-keys")));
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "tm_antiforgery");
        builder.Services.AddRateLimiter(LoginRateLimit.Configure);
        builder.Services.AddOpenApi();
        builder.Services.AddHangfire(_ => { });

        var app = builder.Build();
        app.Use((context, next) => ErrorHandling.InvokeAsync(context, () => next(context)));
        var guard = app.Services.GetRequiredService<RequestGuard>();
        app.Use((context, next) => guard.InvokeAsync(context, next));
        app.UseRateLimiter();
        app.UseStatusCodePages(async status =>
        {
            // Empty 4xx answers under /api (e.g. a query value that does not bind) still get problem details.
            if (ErrorHandling.IsApi(status.HttpContext) && status.HttpContext.Response.ContentLength is null)
                await (status.HttpContext.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType
                    ? ErrorHandling.Problem(415, "Unsupported media type", "Send the request body as JSON, with 'Content-Type: application/json'.")
                    : ErrorHandling.Problem(status.HttpContext.Response.StatusCode, "Bad request", "The request could not be read.")).ExecuteAsync(status.HttpContext);
        });
        app.MapOpenApi();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new HangfireAccess(app.Services.GetRequiredService<ApiKeyCheck>())],
            DashboardTitle = "TmLakehouse jobs",
            AppPath = "/",
        }, runtime.JobStorage);

        app.MapGet(RequestGuard.HealthPath, async (LakehouseRuntime r, CancellationToken ct) =>
        {
            // Up means the instance store answers; nothing else is said, so the probe needs no key.
            await r.Instance.Runs.ListRunsAsync(new Lakehouse.Core.Instance.RunQuery { Limit = 1 }, ct);
            return Results.Ok(new { status = "ok" });
        }).ExcludeFromDescription();
        app.MapGet("/static/site.css", () => Results.Stream(
            typeof(DashboardApp).Assembly.GetManifestResourceStream("TmLakehouse.Dashboard.site.css")!, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/", (HttpContext h, LakehouseRuntime r, CancellationToken ct) => GraphPage.RenderAsync(h, r, ct)).ExcludeFromDescription();
        app.MapGet("/catalog", (HttpContext h, LakehouseRuntime r, string? q, string? group, string? kind, string? status, bool? failedChecks, CancellationToken ct) =>
            CatalogPage.RenderAsync(h, r, q, group, kind, status, failedChecks ?? false, ct)).ExcludeFromDescription();
        app.MapGet("/assets/{**key}", (HttpContext h, string key, LakehouseRuntime r, CancellationToken ct) => AssetPage.RenderAsync(h, r, key, ct)).ExcludeFromDescription();
        app.MapGet("/runs", (LakehouseRuntime r, string? status, string? asset, string? partition, int? page, CancellationToken ct) => RunsPage.RenderAsync(r, status, asset, partition, page, ct)).ExcludeFromDescription();
        app.MapGet("/runs/{id}", (HttpContext h, string id, string? level, string? step, LakehouseRuntime r, CancellationToken ct) => RunPage.RenderAsync(h, r, id, level, step, ct)).ExcludeFromDescription();
        app.MapGet("/quarantine", (LakehouseRuntime r, CancellationToken ct) => QuarantinePages.ListAsync(r, ct)).ExcludeFromDescription();
        app.MapGet("/quarantine/{id}", (HttpContext h, string id, LakehouseRuntime r, CancellationToken ct) => QuarantinePages.ReportAsync(h, r, id, ct)).ExcludeFromDescription();
        app.MapGet("/quarantine/{id}/rows.parquet", (HttpContext h, string id, LakehouseRuntime r, CancellationToken ct) => QuarantinePages.RowsAsync(h, r, id, ct)).ExcludeFromDescription();
        app.MapGet("/docs", (LakehouseRuntime r) => TmLakehouse.Dashboard.Web.Layout.Page("Data catalog", TmLakehouse.Orchestrator.Docs.DocsCatalog.Body(r.Graph))).ExcludeFromDescription();
        app.MapGet("/ledger", (LakehouseRuntime r, string? batch, string? key, CancellationToken ct) => LedgerPage.RenderAsync(r, batch, key, ct)).ExcludeFromDescription();
        app.MapGet("/schedules", (HttpContext h, LakehouseRuntime r, CancellationToken ct) => SchedulesPage.RenderAsync(h, r, ct)).ExcludeFromDescription();
        app.MapGet("/backfills", (LakehouseRuntime r, CancellationToken ct) => BackfillsPage.ListAsync(r, ct)).ExcludeFromDescription();
        app.MapGet("/backfills/{id}", (string id, LakehouseRuntime r, CancellationToken ct) => BackfillsPage.ShowAsync(id, r, ct)).ExcludeFromDescription();
        app.MapGet("/sensors", (HttpContext h, LakehouseRuntime r, CancellationToken ct) => SensorsPage.RenderAsync(h, r, ct)).ExcludeFromDescription();
        DashboardActions.Map(app);

        var api = app.MapGroup("/api");
        RunsApi.Map(api);
        AssetsApi.Map(api);
        QuarantineApi.Map(api);
        LedgerApi.Map(api);
        SensorsApi.Map(api);
        BackfillsApi.Map(api);
        IcebergRest.IcebergRestEndpoints.Map(app);
        return app;
    }

    /// <summary>Registers each schedule and sensor, and the automation tick, as a Hangfire recurring job on the runtime's job storage.</summary>
    public static void RegisterSchedules(LakehouseRuntime runtime)
    {
        ScheduleRunner.RegisterRecurringJobs(runtime.JobStorage, runtime.Schedules.Catalog);
        TmLakehouse.Orchestrator.Sensors.SensorRunner.RegisterRecurringJobs(runtime.JobStorage, runtime.Sensors.Catalog);
        TmLakehouse.Orchestrator.Backfills.BackfillDaemon.RegisterRecurringJob(runtime.JobStorage);
        TmLakehouse.Orchestrator.Automation.AutomationDaemon.RegisterRecurringJob(runtime.JobStorage, runtime.Graph);
    }
}
