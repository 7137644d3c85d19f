using HotelAgent.Core;
using HotelAgent.Core.Configuration;
using HotelAgent.Functions.Hosting.CustomHandler;
using HotelAgent.Functions.Hosting.Standalone;
using HotelAgent.Functions.Security;
using HotelAgent.Functions.WebChat;

namespace HotelAgent.Functions;

/// <summary>Builds the HotelAgent web application in either hosting mode.</summary>
public static class HotelAgentApp
{
    public const string DefaultStandaloneUrl = "http://127.0.0.1:7071";

    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--environment</c>, settings as <c>--Section:Key=value</c>).</param>
    /// <param name="mode">Forces a mode; by default custom-handler mode when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set.</param>
    /// <param name="configure">Test hook: extra configuration or service overrides applied last.</param>
    public static WebApplication Build(string[] args, HostingMode? mode = null, Action<WebApplicationBuilder>? configure = null)
    {
        var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT");
        var hostingMode = mode ?? (string.IsNullOrEmpty(port) ? HostingMode.Standalone : HostingMode.CustomHandler);

        // Standalone is the newcomer's offline default: Development unless an environment is set explicitly.
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Settings are read and validated once at start. Reload-on-change would put a recursive file watcher on the
            // content root, which by default also holds the data directory: every SQLite write became an inotify event.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            EnvironmentName = explicitEnvironment ?? (hostingMode == HostingMode.Standalone ? Environments.Development : Environments.Production),
        });

        if (builder.Environment.IsDevelopment())
        {
            // Lowest priority: anything from env vars, appsettings or the command line overrides these.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = DevelopmentDefaults.Values,
            });
        }

        if (hostingMode == HostingMode.CustomHandler)
        {
            // Under the host, queue triggers and the durable task hub are the host's: no in-process engines.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Queues:ProcessorEnabled"] = "false" });
            builder.WebHost.UseUrls($"http://127.0.0.1:{CustomHandlerPort(builder.Configuration, port)}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultStandaloneUrl);
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.IncludeScopes = true;
        });

        // ASP.NET Core's request log prints full URLs (the WhatsApp verify token, web-chat session ids): RedactedRequestLoggingMiddleware logs instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddHotelAgentCore(builder.Configuration, builder.Environment.IsProduction());
        builder.Services.AddHotelAgentFunctions(hostingMode);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RedactedRequestLoggingMiddleware>();
        app.UseMiddleware<SafeErrorsMiddleware>();
        app.UseHotelAgentSecurityHeaders();
        if (hostingMode == HostingMode.CustomHandler)
        {
            app.MapCustomHandler();
        }
        else
        {
            app.MapFunctionRoutes();
            app.MapWebChat();
        }

        return app;
    }

    /// <summary>
    /// The port the Functions host told us to listen on (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, older hosts
    /// <c>FUNCTIONS_HTTPWORKER_PORT</c>). <c>CustomHandler:Port</c> overrides it (tests pass 0 for a free port).
    /// </summary>
    private static string CustomHandlerPort(IConfiguration configuration, string? environmentPort)
    {
        var port = configuration["CustomHandler:Port"];
        if (string.IsNullOrWhiteSpace(port))
        {
            port = string.IsNullOrEmpty(environmentPort) ? Environment.GetEnvironmentVariable("FUNCTIONS_HTTPWORKER_PORT") : environmentPort;
        }

        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            throw new InvalidOperationException(
                $"Custom-handler mode needs a valid port in FUNCTIONS_CUSTOMHANDLER_PORT (or CustomHandler__Port); got '{port}'.");
        }

        return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
