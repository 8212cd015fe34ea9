using Lakehouse.Core.Config;
using Lakehouse.Core.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>Starts OTLP export of spans and metrics when TM_OTLP_ENDPOINT is set; off by default.</summary>
public sealed class TelemetryExporters : IDisposable
{
    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;

    public TelemetryExporters(LakehouseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint)) return;
        var endpoint = new Uri(options.OtlpEndpoint);
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(LakehouseTelemetry.Name).AddOtlpExporter(o => o.Endpoint = endpoint).Build();
        _metrics = Sdk.CreateMeterProviderBuilder().AddMeter(LakehouseTelemetry.Name).AddOtlpExporter(o => o.Endpoint = endpoint).Build();
    }

    public bool Enabled => _tracing is not null;

    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }
}
