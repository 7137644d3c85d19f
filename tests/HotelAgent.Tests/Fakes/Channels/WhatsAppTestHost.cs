using System.Collections.Concurrent;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Inbound;
using HotelAgent.Core.Observability;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>
/// The WhatsApp channel wired exactly as production (<c>AddHotelAgentWhatsApp</c> and the real <see cref="InboundPipeline"/>,
/// the one exactly-once gate and rate limit) against a <see cref="FakeGraphApi"/>, with a temporary data directory,
/// captured logs and a recording conversation gateway in place of the durable conversations.
/// </summary>
public sealed class WhatsAppTestHost : IAsyncDisposable
{
    private readonly bool _ownsGraph;
    private readonly bool _ownsDirectory;

    private WhatsAppTestHost(FakeGraphApi graph, bool ownsGraph, string dataDirectory, bool ownsDirectory, ServiceProvider services, CapturingLoggerProvider logs, RecordingConversationGateway sink)
    {
        Graph = graph;
        _ownsGraph = ownsGraph;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Services = services;
        Logs = logs;
        Sink = sink;
    }

    public const string AccessToken = "test-access-token";
    public const string PhoneNumberId = "106540352242922";

    public FakeGraphApi Graph { get; }

    public string DataDirectory { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>What the inbound gate handed to the conversations.</summary>
    public RecordingConversationGateway Sink { get; }

    public WhatsAppCloudClient Client => Services.GetRequiredService<WhatsAppCloudClient>();

    public ICustomerServiceWindow Window => Services.GetRequiredService<ICustomerServiceWindow>();

    /// <summary>Starts a host; pass <paramref name="graph"/>/<paramref name="dataDirectory"/> to share them (restart tests).</summary>
    public static async Task<WhatsAppTestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        TimeProvider? timeProvider = null,
        FakeGraphApi? graph = null,
        string? dataDirectory = null)
    {
        var ownsGraph = graph is null;
        graph ??= await FakeGraphApi.StartAsync();
        var ownsDirectory = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "hotelagent-wa-" + Guid.NewGuid().ToString("N"));

        var values = graph.WhatsAppSettings(accessToken: AccessToken, phoneNumberId: PhoneNumberId);
        values["HotelAgent:DataDirectory"] = dataDirectory;
        values["WhatsApp:RetryBaseDelay"] = "00:00:00.010";
        values["WhatsApp:MessagesPerSecond"] = "1000";
        values["WhatsApp:MessagesBurst"] = "1000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new CapturingLoggerProvider();
        var sink = new RecordingConversationGateway();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddMetrics();
        services.AddSingleton<HotelAgentMetrics>();
        services.AddSingleton<HotelAgent.Core.Analytics.IInteractionLog, HotelAgent.Tests.Fakes.Analytics.FakeInteractionLog>();
        services.AddSingleton<HotelAgent.Core.Analytics.IInteractionRecorder, HotelAgent.Core.Analytics.InteractionRecorder>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IConversationGateway>(sink);
        services.AddSingleton<IInboundMessageSink, InboundPipeline>();
        services.AddHotelAgentWhatsApp(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new WhatsAppTestHost(graph, ownsGraph, dataDirectory, ownsDirectory, provider, logs, sink);
    }

    /// <summary>Marks the guest as having written just now (opens the 24-hour window).</summary>
    public Task OpenWindowAsync(string guestId) =>
        Window.RecordInboundAsync(guestId, (Services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow());

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsGraph)
        {
            await Graph.DisposeAsync();
        }

        if (_ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Records what reached the guests' conversations; can be told to fail (storage down).</summary>
public sealed class RecordingConversationGateway : IConversationGateway
{
    private readonly ConcurrentQueue<InboundMessage> _messages = new();

    public IReadOnlyList<InboundMessage> Messages => [.. _messages];

    /// <summary>When set, the next deliveries throw it.</summary>
    public Exception? FailWith { get; set; }

    public Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        _messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
