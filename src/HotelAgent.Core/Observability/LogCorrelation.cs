using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Observability;

/// <summary>
/// Structured log correlation. Every log line written inside a scope carries the scope's fields, so one
/// guest conversation can be followed across the webhook, the orchestration, activities and queue jobs.
/// Field names are stable (see docs/observability.md); values never contain message bodies or raw contacts.
/// </summary>
public static class LogCorrelation
{
    public const string ConversationId = "ConversationId";
    public const string MessageId = "MessageId";
    public const string Channel = "Channel";
    public const string Guest = "Guest";
    public const string InvocationId = "InvocationId";
    public const string Operation = "Operation";

    /// <summary>Opens a scope with the conversation id (already PII-free, see <see cref="ConversationIds"/>) and message id.</summary>
    public static IDisposable? BeginConversationScope(this ILogger logger, string conversationId, string? messageId = null, Channel? channel = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var fields = new LogScope { [ConversationId] = conversationId };
        if (!string.IsNullOrEmpty(messageId))
        {
            fields[MessageId] = messageId;
        }

        if (channel is { } c)
        {
            fields[Channel] = HotelAgentMetrics.ChannelTag(c);
        }

        return logger.BeginScope(fields);
    }

    /// <summary>Scope for an inbound message: conversation id derived from channel + guest, guest contact masked.</summary>
    public static IDisposable? BeginMessageScope(this ILogger logger, InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        var fields = new LogScope
        {
            [ConversationId] = message.ConversationId,
            [MessageId] = message.ProviderMessageId,
            [Channel] = HotelAgentMetrics.ChannelTag(message.Channel),
            [Guest] = PiiMask.Contact(message.GuestId),
        };
        return logger.BeginScope(fields);
    }

    /// <summary>Scope for one Functions invocation (host invocation id + function name).</summary>
    public static IDisposable? BeginInvocationScope(this ILogger logger, string functionName, string? invocationId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var fields = new LogScope { [Operation] = functionName };
        if (!string.IsNullOrEmpty(invocationId))
        {
            fields[InvocationId] = invocationId;
        }

        return logger.BeginScope(fields);
    }
}

/// <summary>
/// Scope fields as structured key/value pairs (what OpenTelemetry and JSON loggers read) that also print as
/// <c>ConversationId:conv-… MessageId:…</c> in the console (a plain dictionary prints as its type name there).
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _fields = [];

    public int Count => _fields.Count;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    /// <summary>Sets a field (replacing an earlier value of the same key).</summary>
    public object? this[string key]
    {
        get => _fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.Ordinal)).Value;
        set
        {
            _fields.RemoveAll(f => string.Equals(f.Key, key, StringComparison.Ordinal));
            _fields.Add(new(key, value));
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _fields.Select(f => f.Key + ":" + f.Value));
}
