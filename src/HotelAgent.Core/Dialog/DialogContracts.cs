using System.Text.Json.Serialization;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// Everything the dialog needs from the outside world. The dialog itself is deterministic (no clock, no random, no I/O):
/// under Durable Functions every member is a durable activity call, so a replay sees the same results.
/// </summary>
public interface IDialogEffects
{
    Task<NluResult> UnderstandAsync(string text, DateOnly today);

    Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query);

    Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request);

    /// <summary>
    /// The bookings the asking guest may see (<see cref="GuestReservations"/>): those of their own channel identity, and
    /// those they proved with a one-time code in this conversation. The dialog has no other lookup.
    /// </summary>
    Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup);

    Task<DialogPmsResult<Reservation>> ModifyReservationAsync(string reference, ReservationChange change);

    Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(string reference, string idempotencyKey);

    Task NotifyStaffAsync(HandoffNotice notice);

    /// <summary>Sends a one-time code to the booking's own contacts (same answer whether the reference exists or not).</summary>
    Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request);

    /// <summary>Checks a code the guest typed; bounded attempts, expiry and a lock per reservation.</summary>
    Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request);

    /// <summary>Tells the booking's own contacts (other than the requester) that it was cancelled or changed.</summary>
    Task NotifyReservationOwnerAsync(OwnerNoticeRequest notice);
}

/// <summary>How a PMS call ended, as data (exceptions do not cross the durable activity boundary well).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DialogPmsStatus>))]
public enum DialogPmsStatus
{
    Ok,

    /// <summary>The PMS is down or slow (<see cref="PmsUnavailableException"/>): answer gracefully, keep the state.</summary>
    Unavailable,

    /// <summary><see cref="ReservationNotFoundException"/>.</summary>
    NotFound,

    /// <summary><see cref="NoAvailabilityException"/>: the room was taken meanwhile.</summary>
    NoAvailability,

    /// <summary>The request was refused (change rejected, unknown room type, invalid stay, request rejected).</summary>
    Rejected,

    /// <summary><see cref="GuestPhoneRequiredException"/>: the PMS needs the guest's phone to book; nothing was booked.</summary>
    PhoneRequired,
}

/// <summary>The result of a PMS call through <see cref="IDialogEffects"/>.</summary>
public sealed record DialogPmsResult<T>(DialogPmsStatus Status, T? Value = default, string? Error = null)
{
    [JsonIgnore]
    public bool IsOk => Status == DialogPmsStatus.Ok && Value is not null;

    public static DialogPmsResult<T> Ok(T value) => new(DialogPmsStatus.Ok, value);

    public static DialogPmsResult<T> Fail(DialogPmsStatus status, string? error = null) => new(status, default, error);
}

/// <summary>Maps PMS exceptions to <see cref="DialogPmsResult{T}"/> (for the activity adapter and <see cref="DirectDialogEffects"/>).</summary>
public static class DialogPmsResult
{
    public static async Task<DialogPmsResult<T>> CaptureAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return DialogPmsResult<T>.Ok(await call());
        }
        catch (PmsUnavailableException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Unavailable, ex.Message);
        }
        catch (ReservationNotFoundException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.NotFound, ex.Message);
        }
        catch (NoAvailabilityException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.NoAvailability, ex.Message);
        }
        catch (GuestPhoneRequiredException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.PhoneRequired, ex.Message);
        }
        catch (PmsException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Rejected, ex.Message);
        }
        catch (ArgumentException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Rejected, ex.Message);
        }
        catch (TimeoutException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Unavailable, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Unavailable, ex.Message);
        }
    }
}

/// <summary>Sent to staff when a conversation is handed off (or when the bot could not answer a question).</summary>
/// <param name="ConversationId">The conversation/orchestration id (<see cref="InboundMessage.ConversationId"/>).</param>
/// <param name="Channel">The guest's channel.</param>
/// <param name="GuestId">The guest's contact (staff need it to answer; mask it in logs).</param>
/// <param name="GuestName">Name if known.</param>
/// <param name="Reason">requested, fallbacks, low_confidence, negative_sentiment, repetition, unknown_question, pms_unavailable.</param>
/// <param name="LastGuestText">What the guest last wrote.</param>
/// <param name="Stage">Stage when it happened.</param>
/// <param name="IsHandoff">True when the bot stopped answering (false: just a question for reception to follow up).</param>
public sealed record HandoffNotice(
    string ConversationId,
    Channel Channel,
    string GuestId,
    string? GuestName,
    string Reason,
    string LastGuestText,
    string Stage,
    bool IsHandoff,
    string Language);

/// <summary>One guest turn as the orchestrator hands it to the dialog.</summary>
/// <param name="Message">The inbound message.</param>
/// <param name="Today">Hotel-local date of the message (computed by the orchestrator from its deterministic clock).</param>
/// <param name="IdempotencyPrefix">Stable per inbound message (e.g. the provider message id); PMS write keys derive from it.</param>
public sealed record GuestTurn(InboundMessage Message, DateOnly Today, string IdempotencyPrefix);

/// <summary>What the dialog did with one turn.</summary>
public sealed record DialogOutcome(
    DialogState State,
    IReadOnlyList<Reply> Replies,
    IReadOnlyList<DialogEvent> Events,
    string? Intent,
    double Confidence);

[JsonConverter(typeof(JsonStringEnumConverter<DialogEventKind>))]
public enum DialogEventKind
{
    Booked,
    Modified,
    Cancelled,
    HandoffStarted,
    Fallback,
    Clarified,
    UnknownQuestion,
    PmsUnavailable,
    Quoted,
}

/// <summary>Something worth recording or measuring (metrics, audit, staff dashboard). Flat so it serializes trivially.</summary>
public sealed record DialogEvent(DialogEventKind Kind)
{
    public string? Reference { get; init; }
    public decimal? Total { get; init; }
    public string? Currency { get; init; }
    public string? Reason { get; init; }

    public static DialogEvent Booked(string reference, decimal total, string currency) =>
        new(DialogEventKind.Booked) { Reference = reference, Total = total, Currency = currency };

    public static DialogEvent Modified(string reference, decimal total, string currency) =>
        new(DialogEventKind.Modified) { Reference = reference, Total = total, Currency = currency };

    public static DialogEvent Cancelled(string reference, decimal charge, string currency) =>
        new(DialogEventKind.Cancelled) { Reference = reference, Total = charge, Currency = currency };

    public static DialogEvent HandoffStarted(string reason) => new(DialogEventKind.HandoffStarted) { Reason = reason };
}
