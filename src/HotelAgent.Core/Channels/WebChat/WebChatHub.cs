using System.Collections.Concurrent;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>
/// A message of a web chat session, numbered per session: one the hotel sent (<see cref="From"/> <c>bot</c>; staff replies
/// too) or, read with <c>include=guest</c>, the guest's own (<c>guest</c>, with the id the page posted it under).
/// <see cref="Text"/> and <see cref="Options"/> are the reply as the dialog wrote it; <see cref="Body"/> and
/// <see cref="Buttons"/> are how a page that draws buttons shows it: each option's line moves from the text into its
/// button (<see cref="ReplyOptionLines"/>), so every offer appears once.
/// </summary>
public sealed record WebChatReply(long Sequence, string Text, IReadOnlyList<ReplyOption> Options, DateTimeOffset SentAt)
{
    public const string FromGuest = "guest";
    public const string FromHotel = "bot";

    public string From { get; init; } = FromHotel;

    /// <summary>The guest message's id (what the page posted), so the page matches it to what it already shows.</summary>
    public string? Id { get; init; }

    /// <summary>The language of a hotel message ("es", "en"), so the page follows the guest's language.</summary>
    public string? Language { get; init; }

    /// <summary>The text to show next to <see cref="Buttons"/>.</summary>
    public string Body { get; init; } = Text;

    public IReadOnlyList<RenderedOption> Buttons { get; init; } = [];
}

/// <summary>
/// The local web chat channel (the standalone page at <c>/</c> and <c>hotel-agent chat</c>): the session's transcript (the
/// guest's messages and the replies) is kept per session in memory and handed to long-polling clients, so a reload shows
/// the whole conversation of that session and of no other. Idempotent by the outbound key, like the
/// real channels, so a retried send never shows twice. Sessions are keyed by guest id (<c>webchat:{session}</c>), opened
/// only by an admitted post (<see cref="WebChatGuard"/>), and capped at <see cref="WebChatOptions.MaxSessions"/>: the least
/// recently used idle ones are forgotten first.
/// </summary>
public sealed class WebChatHub(TimeProvider time, IOptions<WebChatOptions>? options = null) : IChannelSender
{
    private const int MaxRepliesPerSession = 200;
    private const string GuestKeyPrefix = "guest:";
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

        var rendered = ReplyOptionLines.ForButtons(message.Reply);
        session.Add(
            message.IdempotencyKey,
            sequence => new WebChatReply(sequence, message.Reply.Text, message.Reply.Options, now) { Language = message.Language, Body = rendered.Text, Buttons = rendered.Options },
            now);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps the guest's own message in an open session's transcript (a reload shows it; posting the same id twice keeps
    /// one). False when the session is not open (the guard opens it on an admitted post).
    /// </summary>
    public bool AddGuestMessage(string guestId, string messageId, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(text);
        if (!_sessions.TryGetValue(guestId, out var session))
        {
            return false;
        }

        var now = time.GetUtcNow();
        session.Add(GuestKeyPrefix + messageId, sequence => new WebChatReply(sequence, text, [], now) { From = WebChatReply.FromGuest, Id = messageId }, now);
        return true;
    }

    /// <summary>
    /// Replies after <paramref name="afterSequence"/> (and the guest's own messages when <paramref name="includeGuest"/>),
    /// waiting up to <paramref name="wait"/> for the first one. Reading never opens a session: an unknown one is waited for
    /// (its first post opens it) and reads as empty.
    /// </summary>
    public async Task<IReadOnlyList<WebChatReply>> ReadAsync(string guestId, long afterSequence, TimeSpan wait, CancellationToken cancellationToken, bool includeGuest = false)
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
                replies = session.After(afterSequence, includeGuest);
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
                return _sessions.TryGetValue(guestId, out var late) ? late.After(afterSequence, includeGuest) : [];
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

        public void Add(string key, Func<long, WebChatReply> create, DateTimeOffset at)
        {
            TaskCompletionSource toRelease;
            Touch(at);
            lock (_gate)
            {
                if (!_keys.Add(key))
                {
                    return;
                }

                _replies.Add(create(++_sequence));
                if (_replies.Count > MaxRepliesPerSession)
                {
                    _replies.RemoveAt(0);
                }

                toRelease = _signal;
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            toRelease.TrySetResult();
        }

        public IReadOnlyList<WebChatReply> After(long sequence, bool includeGuest)
        {
            lock (_gate)
            {
                return _replies.Where(r => r.Sequence > sequence && (includeGuest || r.From != WebChatReply.FromGuest)).ToArray();
            }
        }
    }
}
