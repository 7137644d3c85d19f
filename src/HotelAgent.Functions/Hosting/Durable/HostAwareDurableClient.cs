using HotelAgent.Core.Orchestration;

namespace HotelAgent.Functions.Hosting.Durable;

/// <summary>
/// The durable client for the current invocation: under the Functions host, the Durable HTTP management API
/// located by the function's <c>durableClient</c> binding; standalone, the in-process SQLite engine.
/// </summary>
public sealed class HostAwareDurableClient(IServiceProvider services, IHttpClientFactory httpClients, ILoggerFactory loggers) : IDurableClient
{
    // One management client per invocation: start-or-raise makes several calls with the same binding.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<FunctionContext, IDurableClient> _perInvocation = [];

    private IDurableClient Resolve()
    {
        var context = FunctionContext.Current;
        if (context is { UnderHost: true })
        {
            return _perInvocation.GetValue(context, c =>
            {
                var binding = c.DurableClientBinding
                    ?? throw new InvalidOperationException($"Function {c.FunctionName} needs a durableClient binding to reach orchestrations.");
                return DurableHttpManagementClient.FromBinding(httpClients, binding, loggers.CreateLogger<DurableHttpManagementClient>());
            });
        }

        return services.GetRequiredService<StandaloneOrchestrationEngine>();
    }

    public Task<string> StartNewAsync(string orchestratorName, string instanceId, string? inputJson, CancellationToken cancellationToken = default) =>
        Resolve().StartNewAsync(orchestratorName, instanceId, inputJson, cancellationToken);

    public Task<bool> RaiseEventAsync(string instanceId, string eventName, string? payloadJson, CancellationToken cancellationToken = default) =>
        Resolve().RaiseEventAsync(instanceId, eventName, payloadJson, cancellationToken);

    public Task<OrchestrationStatusInfo?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken cancellationToken = default) =>
        Resolve().GetStatusAsync(instanceId, showHistory, cancellationToken);

    public Task<IReadOnlyList<OrchestrationStatusInfo>> ListAsync(OrchestrationQuery query, CancellationToken cancellationToken = default) =>
        Resolve().ListAsync(query, cancellationToken);

    public Task<bool> TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken = default) =>
        Resolve().TerminateAsync(instanceId, reason, cancellationToken);

    public Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Resolve().PurgeAsync(instanceId, cancellationToken);
}
