using HotelAgent.Core;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Hotel;
using Microsoft.AspNetCore.Hosting;
using HotelAgent.Functions.Hosting;
using HotelAgent.Functions.Hosting.Standalone;
using HotelAgent.Functions.Security;
using HotelAgent.Functions.WebChat;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Functions;

/// <summary>Builds the standalone HotelAgent web application (no Functions host): Kestrel, the durable runtime, queues and timers in process.</summary>
public static class HotelAgentApp
{
    public const string DefaultStandaloneUrl = "http://127.0.0.1:7071";

    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--environment</c>, settings as <c>--Section:Key=value</c>).</param>
    /// <param name="configure">Test hook: extra configuration or service overrides applied last.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Start-up (issue 19): type initializers the start path needs later warm up on another core (StartupPreload).
        StartupPreload.Start();

        // Standalone is the newcomer's offline default: Development unless an environment is set explicitly.
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Settings are read and validated once at start. Reload-on-change would put a recursive file watcher on the
            // content root, which by default also holds the data directory: every SQLite write became an inotify event.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            EnvironmentName = explicitEnvironment ?? Environments.Development,
        });

        if (builder.Environment.IsDevelopment())
        {
            // Lowest priority: anything from env vars, appsettings or the command line overrides these.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = DevelopmentDefaults.Values,
            });
        }

        // Start-up (issue 19): the hotel profile is parsed on another core while the host is built and started; the first
        // resolution takes it if it was loaded from the path the options name (HotelProfilePreload).
        var hotelProfile = new HotelProfilePreload();
        hotelProfile.Start(builder.Configuration[$"{HotelAgentOptions.SectionName}:{nameof(HotelAgentOptions.HotelProfilePath)}"]);

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultStandaloneUrl);
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.IncludeScopes = true;
        });

        // DurableTask.Core logs every dispatch at Information: keep its warnings and errors only, unless configured.
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        // Per-request and per-call chatter at Information (about 10 lines per guest turn, measured by the guest-turn bench):
        // routing, IHttpClientFactory's handler logs and the SDK worker's activity start/complete. The product's own
        // request log (RedactedRequestLoggingMiddleware) and send log stay; these keep their warnings and errors.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask.Worker", LogLevel.Warning);
        // ASP.NET Core's request log prints full URLs (the WhatsApp verify token, web-chat session ids): RedactedRequestLoggingMiddleware logs instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // IHttpClientFactory's logging handlers log at Information and below only (filtered out above) but still open a
        // logging scope and time every call: about 1.5 % of the guest-turn bench's CPU (perf, 10 concurrent) for nothing.
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());

        builder.Services.AddHotelAgentCore(builder.Configuration, builder.Environment.IsProduction(), standaloneRuntime: true);
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => hotelProfile.Get(sp.GetRequiredService<IOptions<HotelAgentOptions>>().Value.HotelProfilePath)));
        builder.Services.AddHotelAgentFunctions();
        builder.Services.AddStandaloneFunctions();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RedactedRequestLoggingMiddleware>();
        app.UseMiddleware<SafeErrorsMiddleware>();
        app.UseHotelAgentSecurityHeaders();
        app.MapFunctionRoutes();
        app.MapWebChat();
        return app;
    }
}
