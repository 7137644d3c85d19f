using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>Records accepted messages; can be told to fail.</summary>
public sealed class GmailRecordingSink : IInboundMessageSink
{
    private readonly List<InboundMessage> _received = [];

    public Exception? FailWith { get; set; }

    public IReadOnlyList<InboundMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task<InboundOutcome> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }

        lock (_received)
        {
            _received.Add(message);
        }

        return Task.FromResult(InboundOutcome.Accepted);
    }
}

/// <summary>A TimeProvider the test moves by hand.</summary>
public sealed class GmailManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>
/// The Gmail channel wired through <see cref="GmailServiceCollectionExtensions.AddHotelAgentGmail"/> against a
/// <see cref="FakeGmailApi"/>, with a recording sink and a temp data directory.
/// </summary>
public sealed class GmailTestHarness : IAsyncDisposable
{
    private GmailTestHarness(FakeGmailApi fake, ServiceProvider services, GmailRecordingSink sink, string dataDirectory, GmailManualTimeProvider time)
    {
        Fake = fake;
        Services = services;
        Sink = sink;
        DataDirectory = dataDirectory;
        Time = time;
    }

    public FakeGmailApi Fake { get; }

    public ServiceProvider Services { get; }

    public GmailRecordingSink Sink { get; }

    public string DataDirectory { get; }

    public GmailManualTimeProvider Time { get; }

    public GmailInboxPoller Poller => Services.GetRequiredService<GmailInboxPoller>();

    public GmailSender Sender => Services.GetRequiredService<GmailSender>();

    public GmailOptions Options => Services.GetRequiredService<IOptions<GmailOptions>>().Value;

    public static async Task<GmailTestHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        FakeGmailApi? fake = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        fake ??= await FakeGmailApi.StartAsync();
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "hotelagent-gmail-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Gmail:Enabled"] = "true",
            ["Gmail:UserEmail"] = fake.UserEmail,
            ["Gmail:SenderName"] = "Hotel Palermo Soho",
            ["Gmail:ClientId"] = fake.ClientId,
            ["Gmail:ClientSecret"] = fake.ClientSecret,
            ["Gmail:RefreshToken"] = fake.RefreshToken,
            ["Gmail:ApiBaseUrl"] = fake.BaseUrl,
            ["Gmail:TokenEndpoint"] = fake.TokenEndpoint,
            ["HotelAgent:DataDirectory"] = dataDirectory,
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var sink = new GmailRecordingSink();
        var time = new GmailManualTimeProvider(new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero));
        var collection = new ServiceCollection();
        configureServices?.Invoke(collection);
        var services = collection
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IInboundMessageSink>(sink)
            .AddHotelAgentGmail(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new GmailTestHarness(fake, services, sink, dataDirectory, time);
    }

    /// <summary>Disposes the services only (the fake and data directory stay for a "restart").</summary>
    public async ValueTask StopServicesAsync() => await Services.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Collects formatted log messages (all levels) for assertions about what is logged.</summary>
public sealed class GmailCapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(_messages);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
