using System.Collections.Concurrent;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>A reply delivered to a web chat session, numbered per session.</summary>
public sealed record WebChatReply(long Sequence, string Text, IReadOnlyList<ReplyOption> Options, DateTimeOffset SentAt);

/// <summary>
/// The local web chat channel (the standalone page at <c>/</c> and <c>hotel-agent chat</c>): replies are
/// kept per session in memory and handed to long-polling clients. Idempotent by the outbound key, like the
/// real channels, so a retried send never shows twice.
/// </summary>
public sealed class WebChatHub(TimeProvider time) : IChannelSender
{
    private const int MaxRepliesPerSession = 200;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Channel Channel => Channel.WebChat;

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var session = _sessions.GetOrAdd(message.GuestId, _ => new Session());
        session.Add(message.IdempotencyKey, message.Reply, time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <summary>Replies after <paramref name="afterSequence"/>, waiting up to <paramref name="wait"/> for the first one.</summary>
    public async Task<IReadOnlyList<WebChatReply>> ReadAsync(string sessionId, long afterSequence, TimeSpan wait, CancellationToken cancellationToken)
    {
        var session = _sessions.GetOrAdd(sessionId, _ => new Session());
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var signal = session.Signal;
            var replies = session.After(afterSequence);
            var remaining = deadline - time.GetUtcNow();
            if (replies.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return replies;
            }

            try
            {
                await signal.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return session.After(afterSequence);
            }
        }
    }

    private sealed class Session
    {
        private readonly Lock _gate = new();
        private readonly List<WebChatReply> _replies = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _sequence;

        public Task Signal
        {
            get
            {
                lock (_gate)
                {
                    return _signal.Task;
                }
            }
        }

        public void Add(string key, Reply reply, DateTimeOffset at)
        {
            TaskCompletionSource toRelease;
            lock (_gate)
            {
                if (!_keys.Add(key))
                {
                    return;
                }

                _replies.Add(new WebChatReply(++_sequence, reply.Text, reply.Options, at));
                if (_replies.Count > MaxRepliesPerSession)
                {
                    _replies.RemoveAt(0);
                }

                toRelease = _signal;
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            toRelease.TrySetResult();
        }

        public IReadOnlyList<WebChatReply> After(long sequence)
        {
            lock (_gate)
            {
                return _replies.Where(r => r.Sequence > sequence).ToArray();
            }
        }
    }
}
