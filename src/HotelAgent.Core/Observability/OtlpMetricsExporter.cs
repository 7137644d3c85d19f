using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace HotelAgent.Core.Observability;

/// <summary>OTLP export settings, read from the standard OpenTelemetry environment variables.</summary>
public sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string ServiceName, int ExportIntervalMilliseconds, string? Headers)
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string HeadersKey = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";
    public const string IntervalKey = "OTEL_METRIC_EXPORT_INTERVAL";

    /// <summary>Returns null when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is not set (export disabled).</summary>
    public static OtlpSettings? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{EndpointKey} must be an absolute http(s) URL.");
        }

        var protocol = (configuration[ProtocolKey] ?? "grpc").Trim().ToLowerInvariant() switch
        {
            "grpc" or "" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException($"{ProtocolKey} '{other}' is not supported (grpc or http/protobuf)."),
        };

        if (protocol == OtlpExportProtocol.HttpProtobuf && !uri.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal))
        {
            // Same rule as the SDK applies to the environment variable: the signal path is appended to the base endpoint.
            uri = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/v1/metrics");
        }

        var interval = int.TryParse(configuration[IntervalKey], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 1000 ? ms : 60_000;
        var serviceName = string.IsNullOrWhiteSpace(configuration[ServiceNameKey]) ? "hotelagent" : configuration[ServiceNameKey]!.Trim();
        return new OtlpSettings(uri, protocol, serviceName, interval, configuration[HeadersKey]);
    }
}

/// <summary>
/// Builds the OpenTelemetry <see cref="MeterProvider"/> (OTLP exporter) when the app starts and disposes it
/// (flushing the last measurements) when the app stops. Registered only when an OTLP endpoint is configured.
/// </summary>
public sealed partial class OtlpMetricsExporter : IHostedService, IDisposable
{
    /// <summary>Meters exported besides HotelAgent's own: built-in ASP.NET Core / HttpClient / runtime meters.</summary>
    public static readonly IReadOnlyList<string> ExportedMeters =
    [
        HotelAgentMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
    ];

    private readonly OtlpSettings _settings;
    private readonly ILogger<OtlpMetricsExporter> _logger;
    private MeterProvider? _provider;

    public OtlpMetricsExporter(OtlpSettings settings, ILogger<OtlpMetricsExporter> logger)
    {
        _settings = settings;
        _logger = logger;
    }

    public bool IsRunning => _provider is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_provider is not null)
        {
            return Task.CompletedTask;
        }

        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(_settings.ServiceName))
            .AddMeter([.. ExportedMeters])
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = _settings.Endpoint;
                exporter.Protocol = _settings.Protocol;
                if (!string.IsNullOrWhiteSpace(_settings.Headers))
                {
                    exporter.Headers = _settings.Headers;
                }

                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = _settings.ExportIntervalMilliseconds;
            });
        _provider = builder.Build();
        Log.ExportStarted(_logger, _settings.Endpoint.GetLeftPart(UriPartial.Authority), _settings.Protocol.ToString(), _settings.ExportIntervalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var provider = Interlocked.Exchange(ref _provider, null);
        if (provider is not null)
        {
            provider.ForceFlush(5_000);
            provider.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _provider, null)?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "OTLP metrics export to {Endpoint} ({Protocol}) every {IntervalMs} ms")]
        public static partial void ExportStarted(ILogger logger, string endpoint, string protocol, int intervalMs);
    }
}
