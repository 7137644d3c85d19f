using HotelAgent.Core.Analytics;
using HotelAgent.Core.Dialog;

namespace HotelAgent.Core.Conversation;

/// <summary>Maps a dialog turn to the interaction log's outcome vocabulary (and its metrics).</summary>
public sealed class InteractionTurnRecorder(IInteractionRecorder recorder) : ITurnRecorder
{
    public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outcome = OutcomeOf(record.Events);
        return recorder.RecordAsync(
            new InteractionRecord(new DateTimeOffset(DateTime.SpecifyKind(record.Timestamp, DateTimeKind.Utc)), record.ConversationId, record.Channel, record.Intent, record.Confidence, outcome, Math.Max(0, record.LatencyMs))
            {
                BookingReference = record.BookingReference,
                // A booking's amount, and a change's new total (statistics count a booking at its latest amount).
                Revenue = outcome is InteractionOutcomes.Booked or InteractionOutcomes.Modified ? record.Revenue : null,
                Currency = outcome is InteractionOutcomes.Booked or InteractionOutcomes.Modified ? record.Currency : null,
            },
            cancellationToken);
    }

    public static string OutcomeOf(IReadOnlyList<string> events)
    {
        bool Has(DialogEventKind kind) => events.Contains(kind.ToString(), StringComparer.Ordinal);
        return Has(DialogEventKind.Booked) ? InteractionOutcomes.Booked
            : Has(DialogEventKind.Modified) ? InteractionOutcomes.Modified
            : Has(DialogEventKind.Cancelled) ? InteractionOutcomes.Cancelled
            : Has(DialogEventKind.HandoffStarted) ? InteractionOutcomes.Handoff
            : Has(DialogEventKind.Clarified) ? InteractionOutcomes.Clarified
            : Has(DialogEventKind.Fallback) || Has(DialogEventKind.UnknownQuestion) ? InteractionOutcomes.Fallback
            : InteractionOutcomes.Answered;
    }
}
