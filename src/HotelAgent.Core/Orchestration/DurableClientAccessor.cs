using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// How Core reaches orchestrations: the <see cref="DurableTaskClient"/> the running function received from
/// <c>[DurableClient]</c> (set with <see cref="Use"/> for the invocation), else the standalone runtime's client.
/// Lets the inbound pipeline, the audio handlers and the email poller stay unaware of how they were invoked.
/// </summary>
public sealed class DurableClientAccessor(IServiceProvider services)
{
    private static readonly AsyncLocal<DurableTaskClient?> Invocation = new();

    public DurableTaskClient Client => Invocation.Value
        ?? services.GetService<OrchestrationServiceDurableClient>()
        ?? throw new InvalidOperationException("No durable client: under the Functions host the function must take [DurableClient] and pass it to DurableClientAccessor.Use.");

    /// <summary>Makes <paramref name="client"/> the current client until the returned scope is disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var previous = Invocation.Value;
        Invocation.Value = client;
        return new Scope(previous);
    }

    private sealed class Scope(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => Invocation.Value = previous;
    }
}
