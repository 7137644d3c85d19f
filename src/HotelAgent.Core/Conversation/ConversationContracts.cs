using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Conversation;

/// <summary>Conversation settings (section <c>Conversation</c>).</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversation";

    /// <summary>After this much silence the dialog resets (bookings are still found by contact). Fractions allowed (tests use seconds).</summary>
    [Range(0.01, 7 * 24 * 60)]
    public double IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Messages handled per orchestration generation before continue-as-new keeps history bounded.</summary>
    [Range(1, 1000)]
    public int MessagesPerGeneration { get; set; } = 10;
}

[JsonConverter(typeof(JsonStringEnumConverter<ConversationEventType>))]
public enum ConversationEventType
{
    GuestMessage,
    StaffRelease,
    StaffReply,
}

/// <summary>The single external event a conversation orchestration waits for (one name keeps arrival order).</summary>
public sealed record ConversationEvent(ConversationEventType Type)
{
    public const string Name = "ConversationEvent";

    public InboundMessage? Message { get; init; }

    /// <summary>For staff replies: the text and a unique id (idempotency of the send).</summary>
    public string? StaffText { get; init; }

    public string? StaffEventId { get; init; }

    /// <summary>
    /// The message already understood on arrival (offline NLU, when that was final): the orchestration uses it instead
    /// of scheduling the NLU activity, one durable step fewer per turn. Recorded in the history with the event, so
    /// replays see the same understanding.
    /// </summary>
    public PreUnderstanding? Understanding { get; init; }

    public static ConversationEvent Guest(InboundMessage message, PreUnderstanding? understanding = null) =>
        new(ConversationEventType.GuestMessage) { Message = message, Understanding = understanding };
}

/// <summary>What the NLU made of <see cref="Text"/> for the hotel's date <see cref="Today"/>.</summary>
public sealed record PreUnderstanding(string Text, DateOnly Today, Nlu.NluResult Result);

/// <summary>Input of a conversation orchestration generation.</summary>
public sealed record ConversationInput
{
    public required string ConversationId { get; init; }
    public Channel? Channel { get; init; }
    public string? GuestId { get; init; }
    public DialogState State { get; init; } = DialogState.New;
    public int Generation { get; init; }
    public int TotalMessages { get; init; }

    /// <summary>True after an idle reset: wait without a timeout until the guest writes again.</summary>
    public bool Idle { get; init; }

    public IReadOnlyDictionary<string, string> ChannelContext { get; init; } = new Dictionary<string, string>();

    /// <summary>The message that started the conversation, handled before waiting for events (null afterwards).</summary>
    public ConversationEvent? FirstEvent { get; init; }

    /// <summary>Provider ids of the latest guest messages: a message delivered twice is handled once (defence in depth).</summary>
    public IReadOnlyList<string> RecentMessageIds { get; init; } = [];

    /// <summary>
    /// True: a turn's record travels with its last reply (<see cref="SendReplyRequest.Record"/>, one activity per turn
    /// fewer); false: the separate <c>RecordTurn</c> activity. Set on every new instance and generation; false only in
    /// generations started before the change, whose histories hold <c>RecordTurn</c> calls and must replay the same way.
    /// </summary>
    public bool RecordsWithLastReply { get; init; }

    /// <summary>
    /// True: the idle timeout runs on one durable timer per quiet spell, set again when it fires early (no timer created
    /// and cancelled per turn). Set on every new instance and generation; false only in generations started before the
    /// change, whose histories hold a timer per wait and must replay the same way.
    /// </summary>
    public bool KeepsIdleTimer { get; init; }
}

/// <summary>A reply for the <c>SendReply</c> activity.</summary>
public sealed record SendReplyRequest(OutboundMessage Message, bool AlsoVoice, string Language, string ConversationId)
{
    /// <summary>A booking confirmed by this reply: email confirmations then carry its .ics calendar file.</summary>
    public string? BookingReference { get; init; }

    /// <summary>The turn's record, written (best effort, like the <c>RecordTurn</c> activity) once the reply is sent.</summary>
    public TurnRecord? Record { get; init; }
}

/// <summary>
/// The custom status staff see in the Durable Functions Monitor and <c>GET /api/staff/conversations</c>:
/// stage, collected slots, last intent, handoff flag. No contact details (channel + masked contact only).
/// </summary>
public sealed record ConversationStatus
{
    public required string Channel { get; init; }
    public required string Guest { get; init; }
    public required DialogStatusView Dialog { get; init; }
    public DateTime? LastMessageAt { get; init; }
    public int Messages { get; init; }
    public int Generation { get; init; }
    public bool Idle { get; init; }
}
