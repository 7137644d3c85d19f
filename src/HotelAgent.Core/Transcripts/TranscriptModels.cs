using System.Text.Json.Serialization;
using HotelAgent.Core.Dialog;

namespace HotelAgent.Core.Transcripts;

/// <summary>Who said a transcript line.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TranscriptSpeaker>))]
public enum TranscriptSpeaker
{
    Guest,
    Bot,
    Staff,
}

/// <summary>
/// One message of a conversation as staff read it. <see cref="Key"/> makes a line idempotent (the inbound message id, the
/// outbound idempotency key): recording the same turn twice (activities are at-least-once) keeps one copy.
/// </summary>
/// <param name="Key">Stable id of the message within its conversation.</param>
/// <param name="At">When it was written or sent.</param>
/// <param name="From">Guest, bot or staff.</param>
/// <param name="Text">The text as written or sent (never logged).</param>
public sealed record TranscriptLine(string Key, DateTimeOffset At, TranscriptSpeaker From, string Text)
{
    /// <summary>Titles of the choices the bot offered with this message (buttons, list rows).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>The conversation's state after a turn: what staff see next to the lines. The contact is masked.</summary>
public sealed record TranscriptSnapshot(string Channel, string Guest, DialogStatusView Dialog, DateTimeOffset UpdatedAt);

/// <summary>What one turn adds to a transcript: its lines and the conversation's state after it.</summary>
public sealed record TranscriptEntry(TranscriptSnapshot? Snapshot, IReadOnlyList<TranscriptLine> Lines);

/// <summary>A conversation's recent transcript, oldest line first.</summary>
public sealed record ConversationTranscript(string ConversationId, TranscriptSnapshot? Snapshot, IReadOnlyList<TranscriptLine> Lines);

/// <summary>
/// The recent transcript of every conversation, for staff (<c>GET /api/staff/conversations/{id}</c>). Lines are kept for
/// <see cref="TranscriptOptions.RetentionDays"/> and at most <see cref="TranscriptOptions.MaxLinesPerConversation"/> per
/// conversation. <c>HotelAgent__Storage</c> picks SQLite (standalone default) or Azure Tables (<see cref="TableTranscriptStore"/>).
/// </summary>
public interface ITranscriptStore
{
    /// <summary>Adds lines (ignoring keys already stored) and replaces the snapshot when one is given.</summary>
    Task AppendAsync(string conversationId, TranscriptEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The lines within the retention and the latest snapshot; null when nothing is kept for the conversation.</summary>
    Task<ConversationTranscript?> GetAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>The newest line within the retention of each of <paramref name="conversationIds"/> that has one.</summary>
    Task<IReadOnlyDictionary<string, TranscriptLine>> GetLastLinesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default);

    /// <summary>Deletes what is older than the retention; returns the number of lines deleted.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);
}
