using System.Collections.Concurrent;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>A reply delivered to a web chat session, numbered per session.</summary>
public sealed record WebChatReply(long Sequence, string Text, IReadOnlyList<ReplyOption> Options, DateTimeOffset SentAt);

/// <summary>
/// The local web chat channel (the standalone page at <c>/</c> and <c>hotel-agent chat</c>): replies are
/// kept per session in memory and handed to long-polling clients. Idempotent by the outbound key, like the
/// real channels, so a retried send never shows twice. Sessions are keyed by guest id (<c>webchat:{session}</c>), opened
/// only by an admitted post (<see cref="WebChatGuard"/>), and capped at <see cref="WebChatOptions.MaxSessions"/>: the least
/// recently used idle ones are forgotten first.
/// </summary>
public sealed class WebChatHub(TimeProvider time, IOptions<WebChatOptions>? options = null) : IChannelSender
{
    private const int MaxRepliesPerSession = 200;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly WebChatOptions _options = options?.Value ?? new WebChatOptions();
    private readonly Lock _openGate = new();
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Channel Channel => Channel.WebChat;

    public int SessionCount => _sessions.Count;

    public bool HasSession(string guestId) => _sessions.ContainsKey(guestId);

    /// <summary>Opens (or touches) a session; false when every slot holds a session active within the idle time.</summary>
    public bool TryOpenSession(string guestId)
    {
        var now = time.GetUtcNow();
        if (_sessions.TryGetValue(guestId, out var existing))
        {
            existing.Touch(now);
            return true;
        }

        if (_sessions.Count >= _options.MaxSessions && !EvictIdle(now - TimeSpan.FromMinutes(_options.SessionIdleMinutes)))
        {
            return false;
        }

        _sessions.GetOrAdd(guestId, _ => new Session(now));
        SignalOpened();
        return true;
    }

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        if (!_sessions.TryGetValue(message.GuestId, out var session))
        {
            // A reply to a session forgotten meanwhile: it is kept, and the least recently used session makes room.
            if (_sessions.Count >= _options.MaxSessions)
            {
                EvictLeastRecentlyUsed();
            }

            session = _sessions.GetOrAdd(message.GuestId, _ => new Session(now));
            SignalOpened();
        }

        session.Add(message.IdempotencyKey, message.Reply, now);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Replies after <paramref name="afterSequence"/>, waiting up to <paramref name="wait"/> for the first one. Reading never
    /// opens a session: an unknown one is waited for (its first post opens it) and reads as empty.
    /// </summary>
    public async Task<IReadOnlyList<WebChatReply>> ReadAsync(string guestId, long afterSequence, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            Task signal;
            IReadOnlyList<WebChatReply> replies = [];
            if (_sessions.TryGetValue(guestId, out var session))
            {
                session.Touch(time.GetUtcNow());
                signal = session.Signal;
                replies = session.After(afterSequence);
            }
            else
            {
                lock (_openGate)
                {
                    signal = _opened.Task;
                }
            }

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
                return _sessions.TryGetValue(guestId, out var late) ? late.After(afterSequence) : [];
            }
        }
    }

    private void SignalOpened()
    {
        TaskCompletionSource toRelease;
        lock (_openGate)
        {
            toRelease = _opened;
            _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        toRelease.TrySetResult();
    }

    /// <summary>Forgets sessions idle since before <paramref name="cutoff"/>; true when there is room now.</summary>
    private bool EvictIdle(DateTimeOffset cutoff)
    {
        foreach (var (key, session) in _sessions)
        {
            if (session.LastActivity < cutoff)
            {
                _sessions.TryRemove(key, out _);
            }
        }

        return _sessions.Count < _options.MaxSessions;
    }

    private void EvictLeastRecentlyUsed()
    {
        var oldest = _sessions.MinBy(kv => kv.Value.LastActivity);
        if (oldest.Key is not null)
        {
            _sessions.TryRemove(oldest.Key, out _);
        }
    }

    private sealed class Session(DateTimeOffset openedAt)
    {
        private readonly Lock _gate = new();
        private readonly List<WebChatReply> _replies = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _sequence;
        private long _lastActivityTicks = openedAt.UtcTicks;

        public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

        public void Touch(DateTimeOffset at) => Interlocked.Exchange(ref _lastActivityTicks, at.UtcTicks);

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
            Touch(at);
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
