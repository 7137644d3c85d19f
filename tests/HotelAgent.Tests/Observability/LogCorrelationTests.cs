using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Observability;

public sealed class LogCorrelationTests
{
    [Fact]
    public void Message_scope_carries_conversation_and_message_ids_and_masks_the_guest()
    {
        var (factory, sink) = CapturingLoggerProvider.CreateFactory();
        using (factory)
        {
            var logger = factory.CreateLogger("test");
            var message = new InboundMessage(Channel.WhatsApp, "+34600111222", "Ana", "Hola", "wamid.ABC", DateTimeOffset.UnixEpoch);

            using (logger.BeginMessageScope(message))
            {
                logger.LogInformation("handled");
            }

            logger.LogInformation("outside");

            var inside = sink.Entries[0];
            Assert.Equal(ConversationIds.For(Channel.WhatsApp, "+34600111222"), inside.Scope["ConversationId"]);
            Assert.Equal("wamid.ABC", inside.Scope["MessageId"]);
            Assert.Equal("whatsapp", inside.Scope["Channel"]);
            Assert.Equal("***1222", inside.Scope["Guest"]);
            Assert.DoesNotContain(inside.Scope.Values, v => v is string s && s.Contains("600111", StringComparison.Ordinal));
            Assert.Empty(sink.Entries[1].Scope);
        }
    }

    [Fact]
    public void Nested_conversation_and_invocation_scopes_combine()
    {
        var (factory, sink) = CapturingLoggerProvider.CreateFactory();
        using (factory)
        {
            var logger = factory.CreateLogger("test");
            using (logger.BeginInvocationScope("ConversationOrchestrator", "inv-1"))
            using (logger.BeginConversationScope("conv-email-abc", "msg-9", Channel.Email))
            {
                logger.LogWarning("x");
            }

            var scope = Assert.Single(sink.Entries).Scope;
            Assert.Equal("ConversationOrchestrator", scope["Operation"]);
            Assert.Equal("inv-1", scope["InvocationId"]);
            Assert.Equal("conv-email-abc", scope["ConversationId"]);
            Assert.Equal("msg-9", scope["MessageId"]);
            Assert.Equal("email", scope["Channel"]);
        }
    }

    [Fact]
    public void Conversation_scope_omits_empty_message_id()
    {
        var (factory, sink) = CapturingLoggerProvider.CreateFactory();
        using (factory)
        {
            var logger = factory.CreateLogger("test");
            using (logger.BeginConversationScope("conv-webchat-1"))
            {
                logger.LogInformation("x");
            }

            var scope = Assert.Single(sink.Entries).Scope;
            Assert.Equal("conv-webchat-1", scope["ConversationId"]);
            Assert.False(scope.ContainsKey("MessageId"));
            Assert.False(scope.ContainsKey("Channel"));
        }
    }

    [Theory]
    [InlineData("+34 600 111 222", "***1222")]
    [InlineData("ana.garcia@example.com", "***@example.com")]
    [InlineData("12", "***")]
    [InlineData("", "(none)")]
    [InlineData(null, "(none)")]
    public void PiiMask_keeps_only_last_four_digits_or_the_domain(string? contact, string expected)
        => Assert.Equal(expected, PiiMask.Contact(contact));
}

/// <summary>Logger provider that records each entry with the flattened scope values active when it was written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public List<(LogLevel Level, string Message, Dictionary<string, object?> Scope)> Entries { get; } = [];

    public static (ILoggerFactory Factory, CapturingLoggerProvider Sink) CreateFactory()
    {
        var sink = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        return (factory, sink);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (s, acc) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (k, v) in pairs)
                        {
                            acc[k] = v;
                        }
                    }
                },
                scope);
            lock (owner.Entries)
            {
                owner.Entries.Add((logLevel, formatter(state, exception), scope));
            }
        }
    }
}
