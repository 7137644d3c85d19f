using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Queues;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NCrontab;

namespace HotelAgent.Functions.Hosting.Standalone;

/// <summary>
/// Standalone (no Functions host): the function classes served in process. HTTP functions on Kestrel at
/// <c>/api/{route}</c> (non-anonymous ones behind <c>Authorization: Bearer {Staff__ApiKey}</c>), timer functions on
/// their NCRONTAB schedules, queue-trigger functions fed by the SQLite queue; orchestrations and activities run on the
/// standalone durable runtime from the same Core code.
/// </summary>
public static partial class StandaloneFunctions
{
    /// <summary>Defaults for schedule settings, so standalone runs without them (the host needs them set).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultSchedules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Email__PollSchedule"] = "0 */2 * * * *",
    };

    /// <summary>Queue triggers (handlers of the standalone queue processor), timers, and the MVC result executors.</summary>
    public static IServiceCollection AddStandaloneFunctions(this IServiceCollection services)
    {
        services.AddMvcCore();
        RemoveControllerMatcherPolicies(services);
        foreach (var function in FunctionCatalog.Functions.Where(f => f.Queue is not null))
        {
            var invoker = new FunctionInvoker(function);
            services.AddQueueHandler(function.Queue!.QueueName, (sp, message, ct) =>
                invoker.InvokeAsync(sp, new FunctionInputs(sp.GetRequiredService<DurableClientAccessor>().Client, ct) { QueueMessage = message.Text }));
        }

        services.AddHostedService<TimerScheduler>();
        return services;
    }

    /// <summary>
    /// Start-up (issue 19): <c>AddMvcCore</c> is here for its <see cref="IActionResult"/> executors only (there are no
    /// controllers), but it also registers the controllers' routing policies, and routing builds its matcher with every
    /// registered policy on the first request of any route: that built MVC's application model (a scan of the
    /// application parts for controllers, model metadata by reflection, System.Linq.Expressions) inside the first
    /// <c>/api/health/ready</c>. Without controllers those policies match nothing, so they are removed.
    /// </summary>
    private static void RemoveControllerMatcherPolicies(IServiceCollection services)
    {
        var mvc = typeof(ControllerBase).Assembly;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(Microsoft.AspNetCore.Routing.MatcherPolicy) && services[i].ImplementationType?.Assembly == mvc)
            {
                services.RemoveAt(i);
            }
        }
    }

    public static void MapFunctionRoutes(this IEndpointRouteBuilder endpoints)
    {
        foreach (var function in FunctionCatalog.Functions.Where(f => f.Http is not null))
        {
            var invoker = new FunctionInvoker(function);
            var http = function.Http!;
            var methods = (http.Methods ?? ["GET", "POST"]).Select(m => m.ToUpperInvariant()).ToArray();
            endpoints.MapMethods("/api/" + http.Route, methods, async (HttpContext context) =>
            {
                if (http.AuthLevel != AuthorizationLevel.Anonymous && !IsAuthorized(context))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await context.Response.WriteAsJsonAsync(new { title = "Unauthorized", status = 401, detail = "A valid staff API key is required (Authorization: Bearer ...)." });
                    return;
                }

                var services = context.RequestServices;
                var result = await invoker.InvokeAsync(services, new FunctionInputs(services.GetRequiredService<DurableClientAccessor>().Client, context.RequestAborted) { Http = context });
                await WriteOutputsAsync(context, result);
            }).WithName(function.Name);
        }
    }

    /// <summary>Queue outputs first (an acknowledged request has its messages stored), then the HTTP result.</summary>
    private static async Task WriteOutputsAsync(HttpContext context, object? result)
    {
        if (result is IActionResult action)
        {
            await ExecuteAsync(context, action);
            return;
        }

        if (result is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        IActionResult? response = null;
        foreach (var property in result.GetType().GetProperties())
        {
            var value = property.GetValue(result);
            if (property.GetCustomAttribute<HttpResultAttribute>() is not null)
            {
                response = value as IActionResult;
            }
            else if (property.GetCustomAttribute<QueueOutputAttribute>() is { } queue && value is not null)
            {
                var store = context.RequestServices.GetRequiredService<IQueueStore>();
                foreach (var message in value is string single ? [single] : (IEnumerable<string>)value)
                {
                    await store.EnqueueAsync(queue.QueueName, message, context.RequestAborted);
                }
            }
        }

        await ExecuteAsync(context, response ?? new StatusCodeResult(StatusCodes.Status204NoContent));
    }

    private static async Task ExecuteAsync(HttpContext context, IActionResult result)
    {
        if (result is ContentResult content)
        {
            context.Response.StatusCode = content.StatusCode ?? StatusCodes.Status200OK;
            context.Response.ContentType = content.ContentType;
            await context.Response.WriteAsync(content.Content ?? string.Empty, context.RequestAborted);
            return;
        }

        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static bool IsAuthorized(HttpContext http)
    {
        var expected = http.RequestServices.GetRequiredService<IOptions<StaffOptions>>().Value.ApiKey;
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(expected) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>Resolves <c>%Name__Key%</c> to the setting's value (<c>Name:Key</c> in configuration), as the host does.</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(configuration);
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            return configuration[name.Replace("__", ":", StringComparison.Ordinal)] ?? configuration[name]
                ?? DefaultSchedules.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"The timer schedule setting {name} is not set.");
        }

        return schedule;
    }

    /// <summary>NCRONTAB with seconds (six fields, the Functions format) or without (five fields).</summary>
    public static CrontabSchedule ParseSchedule(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
    }

    /// <summary>Runs every timer function on its schedule; a failing run is logged and retried on the next tick.</summary>
    private sealed partial class TimerScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<TimerScheduler> logger)
        : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.WhenAll(FunctionCatalog.Functions.Where(f => f.Timer is not null).Select(f => RunAsync(new FunctionInvoker(f), stoppingToken)));

        private async Task RunAsync(FunctionInvoker invoker, CancellationToken stoppingToken)
        {
            CrontabSchedule schedule;
            try
            {
                schedule = ParseSchedule(ResolveSchedule(invoker.Function.Timer!.Schedule, configuration));
            }
            catch (Exception ex) when (ex is CrontabException or InvalidOperationException)
            {
                LogBadSchedule(logger, invoker.Function.Name, ex.Message);
                return;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow().UtcDateTime;
                try
                {
                    await Task.Delay(schedule.GetNextOccurrence(now) - now, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    var scope = scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        var client = scope.ServiceProvider.GetRequiredService<DurableClientAccessor>().Client;
                        await invoker.InvokeAsync(scope.ServiceProvider, new FunctionInputs(client, stoppingToken));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRunFailed(logger, ex, invoker.Function.Name);
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} has an invalid schedule: {Reason}")]
        private static partial void LogBadSchedule(ILogger logger, string functionName, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed; it runs again on the next tick")]
        private static partial void LogRunFailed(ILogger logger, Exception exception, string functionName);
    }
}
