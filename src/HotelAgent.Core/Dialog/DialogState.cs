using System.Text.Json.Serialization;
using HotelAgent.Core.Security;

using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>Where the conversation is. Serialized by name so persisted states stay readable in orchestration history.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DialogStage>))]
public enum DialogStage
{
    /// <summary>No flow in progress.</summary>
    Idle,

    /// <summary>Collecting check-in, check-out/nights and guests for a quote.</summary>
    CollectingStay,

    /// <summary>Real options were quoted; waiting for the guest to pick one.</summary>
    OfferingRooms,

    /// <summary>An option was picked; collecting/confirming the guest's name and optional email.</summary>
    CollectingGuestDetails,

    /// <summary>The booking summary was shown; only an explicit yes books.</summary>
    ConfirmingBooking,

    /// <summary>The guest has several bookings; waiting for them to pick one.</summary>
    ChoosingReservation,

    /// <summary>Waiting for what to change in an existing booking (dates, guests, room type).</summary>
    CollectingModification,

    /// <summary>The re-quoted change was shown; only an explicit yes applies it.</summary>
    ConfirmingModification,

    /// <summary>The cancellation summary and policy were shown; only an explicit yes cancels.</summary>
    ConfirmingCancellation,

    /// <summary>A menu of likely intents was shown.</summary>
    Clarifying,

    /// <summary>A person from reception has the conversation; the bot stays silent until released.</summary>
    HandedOff,

    /// <summary>No booking of this identity was found: waiting for a booking reference to verify with a one-time code.</summary>
    AwaitingReference,

    /// <summary>A one-time code was sent to the booking's own contact: waiting for the guest to type it.</summary>
    VerifyingCode,
}

/// <summary>The slot the last question asked for (so "3" or "el 15" is understood from context).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AskedSlot>))]
public enum AskedSlot
{
    None,
    CheckIn,
    CheckOut,
    Guests,
    GuestName,
    ConfirmName,
    Email,
    ChangeWhat,

    /// <summary>A stay of many weeks was read back: only a yes quotes it.</summary>
    ConfirmLongStay,

    /// <summary>The flow expired while the guest was away: "¿seguimos con lo de antes?".</summary>
    ResumeExpired,

    /// <summary>The PMS needs a phone to book (QloApps) and the guest has none on this channel.</summary>
    Phone,

    /// <summary>A room was described and "¿querés que te la cotice?" offered: a yes starts a stay for that room.</summary>
    QuoteOffer,
}

/// <summary>What an existing-reservation flow is for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReservationAction>))]
public enum ReservationAction
{
    Status,
    Modify,
    Cancel,
}

/// <summary>The stay being quoted: nights are [CheckIn, CheckOut).</summary>
public sealed record StaySlots
{
    public static StaySlots Empty { get; } = new();

    public DateOnly? CheckIn { get; init; }
    public DateOnly? CheckOut { get; init; }
    public int? Nights { get; init; }
    public int? Guests { get; init; }

    /// <summary>Canonical room type the guest asked for (null = show every type that fits).</summary>
    public string? RoomType { get; init; }

    /// <summary>
    /// Who is travelling when the guest named children or babies ("2 adultos y un bebé de 1 año"); null for a plain count.
    /// <see cref="Guests"/> is then the party's guests for capacity (infants left out).
    /// </summary>
    public Party? Party { get; init; }

    /// <summary>The guest was told once that unknown children's ages matter (infants do not count): never again in this stay.</summary>
    public bool AgesAsked { get; init; }

    /// <summary>The guest said they need no crib ("no necesitamos cuna", "we bring our own"): the note and read-back say so.</summary>
    public bool NoCrib { get; init; }

    /// <summary>The guest asked for a crib (also without a baby named): the staff note records it.</summary>
    public bool CribWanted { get; init; }

    [JsonIgnore]
    public bool IsComplete => CheckIn is not null && CheckOut is not null && Guests is not null;
}

/// <summary>A quoted option, copied from the PMS offer (never computed by the dialog).</summary>
public sealed record QuotedOffer(
    string RoomType,
    string Name,
    int Capacity,
    decimal NightlyRate,
    int Nights,
    decimal TotalPrice,
    string Currency,
    IReadOnlyList<string> Includes);

/// <summary>A booking the flow is working on (from FindReservationsAsync: the guest's own, or one proved with a code).</summary>
public sealed record ReservationSnapshot(
    string Reference,
    string GuestName,
    string RoomType,
    DateOnly CheckIn,
    DateOnly CheckOut,
    int Guests,
    decimal TotalPrice,
    string Currency)
{
    /// <summary>The PMS's nightly rate (what a late cancellation charges); 0 in states saved before it was kept.</summary>
    public decimal NightlyRate { get; init; }
    /// <summary>What the guest may do with it; a change or cancellation of a view-only booking needs a one-time code first.</summary>
    public ReservationAccess Access { get; init; }
}

/// <summary>
/// The whole conversation state: immutable and JSON-serializable (System.Text.Json web defaults), so the orchestration can
/// keep it in its history and in continue-as-new input.
/// </summary>
public sealed record DialogState
{
    public static DialogState New { get; } = new();

    public DialogStage Stage { get; init; } = DialogStage.Idle;

    /// <summary>"es" or "en"; guest-facing text follows it.</summary>
    public string Language { get; init; } = "es";

    public StaySlots Stay { get; init; } = StaySlots.Empty;
    public AskedSlot Asked { get; init; } = AskedSlot.None;
    public IReadOnlyList<QuotedOffer> Offers { get; init; } = [];
    public QuotedOffer? Selected { get; init; }

    public string? GuestName { get; init; }
    public bool GuestNameConfirmed { get; init; }
    public string? Email { get; init; }
    public bool EmailAsked { get; init; }

    /// <summary>A phone the guest typed (E.164), asked only when the PMS requires one and the channel gives none.</summary>
    public string? Phone { get; init; }

    /// <summary>Existing-reservation flow: what for, which of the guest's bookings, and the candidates shown.</summary>
    public ReservationAction? Action { get; init; }
    public ReservationSnapshot? Target { get; init; }
    public IReadOnlyList<ReservationSnapshot> Candidates { get; init; } = [];

    /// <summary>The re-quoted change waiting for confirmation.</summary>
    public StaySlots? PendingChange { get; init; }
    public QuotedOffer? PendingChangeQuote { get; init; }

    /// <summary>
    /// Idempotency key of the PMS write being confirmed, fixed at its first attempt so a retry after an unknown outcome
    /// (PMS timed out after writing) returns the same booking instead of booking twice.
    /// </summary>
    public string? PendingWriteKey { get; init; }

    /// <summary>Clarification menu: the intents offered, the text that was unclear, and the stage to go back to.</summary>
    public IReadOnlyList<string> ClarifyIntents { get; init; } = [];
    public string? ClarifyText { get; init; }
    public DialogStage? ResumeStage { get; init; }

    /// <summary>Consecutive turns not understood (fallbacks) and consecutive very-low-confidence turns.</summary>
    public int FallbackCount { get; init; }
    public int VeryLowCount { get; init; }

    /// <summary>The guest's last texts, normalized (repetition detection).</summary>
    public IReadOnlyList<string> RecentTexts { get; init; } = [];

    /// <summary>
    /// Ids of the options offered by the last reply, in order: on channels that show them as numbered lines (email, web chat)
    /// a bare "1"/"2" answers with that option, as a button press would on WhatsApp.
    /// </summary>
    public IReadOnlyList<string> LastOptionIds { get; init; } = [];

    public bool HandedOff { get; init; }
    public string? HandoffReason { get; init; }

    /// <summary>The one-time-code challenge being answered and the reference it is for (stage <see cref="DialogStage.VerifyingCode"/>).</summary>
    public string? VerificationChallengeId { get; init; }
    public string? VerificationReference { get; init; }

    /// <summary>References proved with a one-time code in this session; forgotten on the idle reset.</summary>
    public IReadOnlyList<string> VerifiedReferences { get; init; } = [];

    /// <summary>The booking this conversation made last: "can we push it a day?" right after is about that one.</summary>
    public string? LastBookedReference { get; init; }

    public string? LastIntent { get; init; }
    public double LastConfidence { get; init; }
    public int TurnCount { get; init; }

    /// <summary>
    /// The question the last reply asked (a key such as "stay:Guests" or "confirm:booking") and how many times in a row it was
    /// asked: the second time it is rephrased with an example, the third time a person is offered.
    /// </summary>
    public string? QuestionKey { get; init; }
    public int QuestionTimes { get; init; }

    /// <summary>The last reply offered to hand the guest to a person (a "sí" or the button takes it).</summary>
    public bool HumanOffered { get; init; }

    /// <summary>The offer the guest last asked about ("¿cuánto sale la doble?"): "esa" picks it.</summary>
    public string? FocusRoom { get; init; }

    /// <summary>A stay longer than <c>Dialog__LongStayNights</c> the guest confirmed (it is quoted only then).</summary>
    public bool LongStayConfirmed { get; init; }

    /// <summary>When the guest last wrote (the message's own timestamp: the dialog has no clock).</summary>
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>When the flow in progress was last advanced; after <c>Dialog__FlowExpiryMinutes</c> its slots expire.</summary>
    public DateTimeOffset? FlowTouchedAt { get; init; }

    /// <summary>The stay of a flow that expired, kept only to offer "¿seguimos con lo de antes?" (never reused silently).</summary>
    public StaySlots? ExpiredStay { get; init; }

    /// <summary>
    /// A month named for the stay without its days ("¿qué días tenés libres en febrero?"), as the middle of that month: the
    /// days the guest gives next ("del 10 al 13", "el 28") are read against it, so they fall in that month.
    /// </summary>
    public DateOnly? StayMonth { get; init; }

    /// <summary>Short fingerprints of the latest replies (no reply goes out word for word a third time).</summary>
    public IReadOnlyList<string> RecentReplies { get; init; } = [];

    /// <summary>Hotel topics already answered in this conversation (a repeated question gets the short version).</summary>
    public IReadOnlyList<string> TopicsAnswered { get; init; } = [];

    /// <summary>Staff released the conversation: the bot answers again, from a clean flow (language and name kept).</summary>
    public DialogState Release() => ClearFlow() with
    {
        HandedOff = false,
        HandoffReason = null,
        FallbackCount = 0,
        VeryLowCount = 0,
        RecentTexts = [],
    };

    /// <summary>
    /// Session hygiene after the idle timeout: the next message starts a fresh flow. Language, name and email are kept
    /// (bookings are always looked up again by contact); a handed-off conversation stays handed off until staff release it.
    /// </summary>
    public DialogState ResetForIdle() => new()
    {
        Stage = HandedOff ? DialogStage.HandedOff : DialogStage.Idle,
        Language = Language,
        GuestName = GuestName,
        GuestNameConfirmed = GuestNameConfirmed,
        Email = Email,
        EmailAsked = EmailAsked,
        Phone = Phone,
        HandedOff = HandedOff,
        HandoffReason = HandoffReason,
        TurnCount = TurnCount,
        LastMessageAt = LastMessageAt,
        ExpiredStay = HasBookingFlow ? Stay : null,
    };

    /// <summary>A booking flow with something worth offering to resume (a stay being collected, quoted or confirmed).</summary>
    [JsonIgnore]
    internal bool HasBookingFlow =>
        Stage is DialogStage.CollectingStay or DialogStage.OfferingRooms or DialogStage.CollectingGuestDetails or DialogStage.ConfirmingBooking
        && (Stay.CheckIn is not null || Stay.Guests is not null);

    /// <summary>The flow-specific fields cleared, counters and identity kept.</summary>
    internal DialogState ClearFlow() => this with
    {
        Stage = DialogStage.Idle,
        Stay = StaySlots.Empty,
        Asked = AskedSlot.None,
        Offers = [],
        Selected = null,
        Action = null,
        Target = null,
        Candidates = [],
        PendingChange = null,
        PendingChangeQuote = null,
        PendingWriteKey = null,
        ClarifyIntents = [],
        ClarifyText = null,
        ResumeStage = null,
        QuestionKey = null,
        QuestionTimes = 0,
        HumanOffered = false,
        FocusRoom = null,
        LongStayConfirmed = false,
        FlowTouchedAt = null,
        ExpiredStay = null,
        StayMonth = null,
        VerificationChallengeId = null,
        VerificationReference = null,
    };
}

/// <summary>What staff see at a glance (orchestration custom status): no PII beyond the first name.</summary>
public sealed record DialogStatusView(
    string Stage,
    string Language,
    string? LastIntent,
    double LastConfidence,
    bool HandedOff,
    string? HandoffReason,
    DateOnly? CheckIn,
    DateOnly? CheckOut,
    int? Guests,
    string? RoomType,
    string? GuestFirstName,
    int FallbackCount,
    int TurnCount)
{
    public static DialogStatusView FromState(DialogState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var firstName = state.GuestName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return new DialogStatusView(
            state.Stage.ToString(),
            state.Language,
            state.LastIntent,
            Math.Round(state.LastConfidence, 3),
            state.HandedOff,
            state.HandoffReason,
            state.Stay.CheckIn,
            state.Stay.CheckOut,
            state.Stay.Guests,
            state.Selected?.RoomType ?? state.Stay.RoomType,
            firstName,
            state.FallbackCount,
            state.TurnCount);
    }
}
