using Azure.Core.Serialization;
using HotelAgent.Core;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Queues;
using HotelAgent.Core.Storage;
using HotelAgent.Functions.Hosting;
using HotelAgent.Functions.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Functions;

/// <summary>The .NET isolated worker under the Azure Functions host: triggers, bindings and the task hub are the host's.</summary>
public static class FunctionsWorkerHost
{
    /// <summary>The host starts its worker with <c>--functions-uri</c> (the gRPC endpoint of the host).</summary>
    public static bool StartedByFunctionsHost(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal) || a.StartsWith("--functions-worker-id", StringComparison.Ordinal))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Functions__Worker__HostEndpoint"));
    }

    public static async Task RunAsync(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();

        // After the SDK's HTTP proxying middleware, so HTTP invocations have their HttpContext: headers and safe errors.
        builder.UseMiddleware<HttpSecurityWorkerMiddleware>();

        // The worker's own ASP.NET Core request log prints the forwarded URL with its query (the WhatsApp verify token).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // Queue triggers and orchestrations are run by the host: no in-process engines. Shared state is always in the host's
        // storage account (HotelAgent__Storage=AzureStorage): instances come and go, and SQLite files would be per instance.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Queues:ProcessorEnabled"] = "false",
            ["HotelAgent:Storage"] = nameof(StorageProvider.AzureStorage),
        });
        builder.Services.AddHotelAgentCore(builder.Configuration, builder.Environment.IsProduction(), standaloneRuntime: false);
        builder.Services.AddHotelAgentFunctions();

        // Orchestration inputs, outputs, events and custom status use the same JSON as the standalone runtime.
        builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(OrchestrationJson.Options));
        // Outside an output binding (e.g. a resumed voice-note reply), audio jobs go straight to the host's queues (base64).
        builder.Services.Replace(ServiceDescriptor.Singleton<IQueueSender>(sp => new FunctionQueueSender(null, () => sp.GetRequiredService<AzureStorageAccount>().QueueService)));
        using var host = builder.Build();
        await host.RunAsync();
    }
}
