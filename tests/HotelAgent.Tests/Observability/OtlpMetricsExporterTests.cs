using HotelAgent.Tests.Fakes;
using System.Text;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Exporter;

namespace HotelAgent.Tests.Observability;

public sealed class OtlpMetricsExporterTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Settings_are_null_without_an_endpoint()
    {
        Assert.Null(OtlpSettings.FromConfiguration(Config()));
        Assert.Null(OtlpSettings.FromConfiguration(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "  "))));
    }

    [Fact]
    public void Settings_default_to_grpc_and_one_minute()
    {
        var s = OtlpSettings.FromConfiguration(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")))!;
        Assert.Equal(OtlpExportProtocol.Grpc, s.Protocol);
        Assert.Equal(new Uri("http://collector:4317"), s.Endpoint);
        Assert.Equal(60_000, s.ExportIntervalMilliseconds);
        Assert.Equal("hotelagent", s.ServiceName);
    }

    [Fact]
    public void Http_protobuf_appends_the_metrics_signal_path()
    {
        var s = OtlpSettings.FromConfiguration(Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "5000"),
            ("OTEL_SERVICE_NAME", "hotel-demo")))!;
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, s.Protocol);
        Assert.Equal("http://collector:4318/v1/metrics", s.Endpoint.AbsoluteUri);
        Assert.Equal(5000, s.ExportIntervalMilliseconds);
        Assert.Equal("hotel-demo", s.ServiceName);
    }

    [Theory]
    [InlineData("collector:4317", null)]
    [InlineData("ftp://collector", null)]
    [InlineData("http://collector:4317", "json")]
    public void Invalid_settings_fail_fast(string endpoint, string? protocol)
        => Assert.Throws<InvalidOperationException>(() => OtlpSettings.FromConfiguration(Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", protocol))));

    [Fact]
    public void Registration_adds_exporter_only_when_endpoint_is_configured()
    {
        using var dir = new TempDir();
        var without = new ServiceCollection().AddLogging()
            .AddHotelAgentObservability(Config(("HotelAgent:DataDirectory", dir.Path)));
        Assert.DoesNotContain(without, d => d.ImplementationType == typeof(OtlpMetricsExporter));

        var config = Config(("HotelAgent:DataDirectory", dir.Path), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"));
        var with = new ServiceCollection().AddLogging().AddSingleton(config).AddHotelAgentObservability(config);
        Assert.Contains(with, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OtlpMetricsExporter));

        using var sp = with.BuildServiceProvider();
        Assert.NotNull(sp.GetRequiredService<HotelAgentMetrics>());
        Assert.IsType<SqliteInteractionLog>(sp.GetRequiredService<IInteractionLog>());
    }

    [Fact]
    public async Task Exporter_posts_hotelagent_metrics_to_an_otlp_http_receiver_on_stop()
    {
        var received = new List<(string Path, string? ContentType, byte[] Body)>();
        await using var app = LoopbackServer.Create();
        app.MapPost("/v1/metrics", async (HttpContext ctx) =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            lock (received)
            {
                received.Add((ctx.Request.Path, ctx.Request.ContentType, ms.ToArray()));
            }

            // An empty ExportMetricsServiceResponse is a valid OTLP success answer.
            ctx.Response.ContentType = "application/x-protobuf";
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        var address = LoopbackServer.BaseUrl(app);

        var settings = OtlpSettings.FromConfiguration(Config(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", address),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "60000")))!;
        using var services = new ServiceCollection().AddMetrics().AddSingleton<HotelAgentMetrics>().BuildServiceProvider();
        var metrics = services.GetRequiredService<HotelAgentMetrics>();
        using var exporter = new OtlpMetricsExporter(settings, NullLogger<OtlpMetricsExporter>.Instance);

        await exporter.StartAsync(CancellationToken.None);
        Assert.True(exporter.IsRunning);
        metrics.RecordMessageReceived(Channel.WhatsApp, "availability");
        metrics.RecordBooking(Channel.WhatsApp, 120m, "EUR");
        await exporter.StopAsync(CancellationToken.None);
        Assert.False(exporter.IsRunning);

        List<(string Path, string? ContentType, byte[] Body)> snapshot;
        lock (received)
        {
            snapshot = [.. received];
        }

        Assert.NotEmpty(snapshot);
        Assert.All(snapshot, r => Assert.Equal("/v1/metrics", r.Path));
        Assert.All(snapshot, r => Assert.StartsWith("application/x-protobuf", r.ContentType, StringComparison.Ordinal));
        var payload = string.Concat(snapshot.Select(r => Encoding.UTF8.GetString(r.Body)));
        Assert.Contains("hotelagent.messages.received", payload, StringComparison.Ordinal);
        Assert.Contains("hotelagent.bookings.revenue", payload, StringComparison.Ordinal);
        Assert.Contains("hotelagent", payload, StringComparison.Ordinal); // service.name resource attribute

        await app.StopAsync();
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hotelagent-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
