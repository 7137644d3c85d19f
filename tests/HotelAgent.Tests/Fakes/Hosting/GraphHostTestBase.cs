using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>A standalone host per test with the shared end-to-end settings, its WhatsApp sends captured by a fake Graph API.</summary>
public abstract class GraphHostTestBase : IAsyncLifetime
{
    protected FakeGraphApi Graph { get; private set; } = null!;

    protected StandaloneHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Graph = await FakeGraphApi.StartAsync();
        Host = await StandaloneHost.StartAsync(ConversationEndToEndTests.Settings(Graph));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
