using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace HotelAgent.Tests.Observability;

public sealed class LogScopeTests
{
    [Fact]
    public void A_scope_prints_its_fields_and_stays_structured()
    {
        var scope = new LogScope { [LogCorrelation.ConversationId] = "conv-whatsapp-abc", [LogCorrelation.MessageId] = "wamid.1" };

        Assert.Equal("ConversationId:conv-whatsapp-abc MessageId:wamid.1", scope.ToString());
        Assert.Equal(["ConversationId", "MessageId"], scope.Select(f => f.Key));
    }

    [Fact]
    public void The_hosts_console_format_shows_the_conversation_and_message_ids_of_a_message_scope()
    {
        // The simple console formatter exactly as HotelAgentApp configures it (single line, scopes on).
        using var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; }))
            .BuildServiceProvider();
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        var scopes = new LoggerExternalScopeProvider();
        var message = new InboundMessage(Channel.WhatsApp, "+5491155551234", null, "hola", "wamid.SCOPE1", DateTimeOffset.UtcNow);
        using var output = new StringWriter();

        var logger = new ScopeOnlyLogger(scopes);
        using (logger.BeginMessageScope(message))
        {
            formatter.Write(new LogEntry<string>(LogLevel.Information, "test", default, "delivered", null, (s, _) => s), scopes, output);
        }

        var line = output.ToString();
        Assert.Contains("ConversationId:" + message.ConversationId, line, StringComparison.Ordinal);
        Assert.Contains("MessageId:wamid.SCOPE1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Dictionary`2", line, StringComparison.Ordinal);
        Assert.DoesNotContain("55551234", line, StringComparison.Ordinal);
    }

    private sealed class ScopeOnlyLogger(IExternalScopeProvider scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => NullLogger.Instance.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
