using TmLakehouse.Dashboard.Hosting;
using TmLakehouse.Orchestrator.Hosting;
using TmLakehouse.Orchestrator.Sensors;

namespace TmLakehouse.Dashboard.Api;

/// <summary>/api/sensors: every sensor with its on/off, cursor and latest ticks, one sensor, and switching one on or off (needs the key).</summary>
internal static class SensorsApi
{
    private const int Ticks = 20;

    public static void Map(RouteGroupBuilder api)
    {
        var sensors = api.MapGroup("/sensors").WithTags("Sensors");
        sensors.MapGet("/", ListAsync).Produces<IReadOnlyList<SensorView>>()
            .WithSummary($"Every sensor: on/off (and its default), minimum interval, cursor and its latest {Ticks} ticks, newest first.");
        sensors.MapGet("/{name}", GetAsync).Produces<SensorView>().ProducesProblem(404).WithSummary($"One sensor with its latest {Ticks} ticks.");
        sensors.MapPost("/{name}/on", (string name, LakehouseRuntime runtime, CancellationToken ct) => SwitchAsync(name, true, runtime, ct))
            .RequireKey().Produces<SensorView>().ProducesProblem(401).ProducesProblem(404).WithSummary("Switches the sensor on: its ticks evaluate again.");
        sensors.MapPost("/{name}/off", (string name, LakehouseRuntime runtime, CancellationToken ct) => SwitchAsync(name, false, runtime, ct))
            .RequireKey().Produces<SensorView>().ProducesProblem(401).ProducesProblem(404).WithSummary("Switches the sensor off: its ticks do nothing until it is on.");
    }

    private static async Task<IResult> ListAsync(LakehouseRuntime runtime, CancellationToken ct)
    {
        var views = new List<SensorView>();
        foreach (var sensor in runtime.Sensors.Catalog.All) views.Add(await SensorView.ReadAsync(runtime.Sensors, runtime.Instance, sensor, Ticks, ct));
        return Results.Ok(views);
    }

    private static async Task<IResult> GetAsync(string name, LakehouseRuntime runtime, CancellationToken ct) =>
        Find(runtime, name, out var sensor) is { } notFound ? notFound : Results.Ok(await SensorView.ReadAsync(runtime.Sensors, runtime.Instance, sensor!, Ticks, ct));

    private static async Task<IResult> SwitchAsync(string name, bool enabled, LakehouseRuntime runtime, CancellationToken ct)
    {
        if (Find(runtime, name, out var sensor) is { } notFound) return notFound;
        await runtime.Instance.Scheduling.SetEnabledAsync(sensor!.Name, enabled, ct);
        return Results.Ok(await SensorView.ReadAsync(runtime.Sensors, runtime.Instance, sensor, Ticks, ct));
    }

    /// <summary>The sensor, or a 404 with the catalog's own message (the one the CLI prints, listing the sensors there are).</summary>
    private static IResult? Find(LakehouseRuntime runtime, string name, out Lakehouse.Core.Sensors.SensorDefinition? sensor)
    {
        try
        {
            sensor = runtime.Sensors.Catalog.Get(name);
            return null;
        }
        catch (SensorNotFoundException e)
        {
            sensor = null;
            return ErrorHandling.Problem(404, "Not found", e.Message);
        }
    }
}
