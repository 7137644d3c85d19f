using System.Collections.Concurrent;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>Records accepted messages; answers like the inbound gate (a repeated provider id is a duplicate); can be told to fail.</summary>
public sealed class RecordingSink : IInboundMessageSink
{
    private readonly ConcurrentQueue<InboundMessage> _received = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    public Exception? FailWith { get; set; }

    public IReadOnlyList<InboundMessage> Received => [.. _received];

    public Task<InboundOutcome> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }

        if (!_seen.TryAdd(message.ProviderMessageId, true))
        {
            return Task.FromResult(InboundOutcome.Duplicate);
        }

        _received.Enqueue(message);
        return Task.FromResult(InboundOutcome.Accepted);
    }
}

/// <summary>
/// The email channel wired through <see cref="EmailServiceCollectionExtensions.AddHotelAgentEmail"/> against the test
/// run's Dovecot and SMTP servers, for a fresh hotel mailbox, with a recording sink, captured logs, a fake clock and
/// a temp data directory.
/// </summary>
public sealed class EmailTestHarness : IAsyncDisposable
{
    private EmailTestHarness(MailServerFixture mail, TestMailbox hotel, ServiceProvider services, string dataDirectory, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        Mail = mail;
        Hotel = hotel;
        Services = services;
        DataDirectory = dataDirectory;
        Time = time;
        Logs = logs;
    }

    public MailServerFixture Mail { get; }

    public TestMailbox Hotel { get; }

    public ServiceProvider Services { get; }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Every log line so far, one per line.</summary>
    public string LogText => string.Join('\n', Logs.Entries.Select(e => $"{e.Level}: {e.Message}"));

    public RecordingSink Sink => (RecordingSink)Services.GetRequiredService<IInboundMessageSink>();

    public EmailPoller Poller => Services.GetRequiredService<EmailPoller>();

    public EmailSender Sender => Services.GetRequiredService<EmailSender>();

    public EmailOptions Options => Services.GetRequiredService<IOptions<EmailOptions>>().Value;

    /// <param name="mail">The test run's mail servers.</param>
    /// <param name="configure">Changes to the settings (<c>Email:...</c>) before the services are built.</param>
    /// <param name="hotel">Reuse a mailbox (a "restart"); a new one otherwise.</param>
    /// <param name="dataDirectory">Reuse a data directory (a "restart"); a new temp folder otherwise.</param>
    /// <param name="configureServices">Service overrides applied after the channel's registrations.</param>
    public static EmailTestHarness Start(
        MailServerFixture mail,
        Action<Dictionary<string, string?>>? configure = null,
        TestMailbox? hotel = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        hotel ??= mail.CreateMailbox();
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "hotelagent-email-" + Guid.NewGuid().ToString("N"));
        var settings = mail.EmailSettings(hotel);
        settings["HotelAgent:DataDirectory"] = dataDirectory;
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var collection = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IInboundMessageSink, RecordingSink>()
            .AddHotelAgentEmail(configuration);
        configureServices?.Invoke(collection);
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new EmailTestHarness(mail, hotel, services, dataDirectory, time, logs);
    }

    /// <summary>A guest message as the inbound gate would hand it on after a poll (for sender tests).</summary>
    public async Task<InboundMessage> PollOneAsync()
    {
        var result = await Poller.PollAsync(CancellationToken.None);
        Assert.True(result.Accepted == 1, $"expected one accepted message, got {result}");
        return Sink.Received[^1];
    }

    /// <summary>Disposes the services only (the mailbox and data directory stay for a "restart").</summary>
    public async ValueTask StopServicesAsync() => await Services.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
