using HotelAgent.Core.Transcripts;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Writes a turn's lines (the guest's message, the bot's replies) and the state after it to the transcript store, from the
/// turn's record (carried by the last reply's <c>SendReply</c> activity, or the <c>RecordTurn</c> activity; no extra durable step). Best effort like statistics: a broken store never
/// fails the guest's turn. Never logs the text.
/// </summary>
public sealed partial class TranscriptTurnRecorder(ITranscriptStore store, ILogger<TranscriptTurnRecorder> logger) : ITurnRecorder
{
    public async Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Transcript is not { } entry)
        {
            return;
        }

        try
        {
            await store.AppendAsync(record.ConversationId, entry, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The transcript is a staff aid: a broken store must not fail the guest's turn.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, record.ConversationId, entry.Lines.Count);
        }
    }

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "The transcript of {ConversationId} was not stored ({Lines} lines)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string conversationId, int lines);
}
