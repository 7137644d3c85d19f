using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using Microsoft.DurableTask;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// The dialog's effects as durable activities: each NLU and PMS call is recorded in the orchestration history,
/// so a replay never repeats it (a booking is created once) and a crash resumes after the last completed step.
/// PMS activities answer a <see cref="DialogPmsResult{T}"/> (an outage is an answer, not a failure).
/// </summary>
public sealed class DurableDialogEffects(TaskOrchestrationContext context) : IDialogEffects
{
    private static readonly TaskOptions TransientRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(10)));

    private PreUnderstanding? _understood;

    /// <summary>The current message's understanding from its event (null: none); used once, for the same text and day.</summary>
    public void UseUnderstanding(PreUnderstanding? understood) => _understood = understood;

    public async Task<NluResult> UnderstandAsync(string text, DateOnly today)
    {
        if (_understood is { } pre && pre.Today == today && string.Equals(pre.Text, text, StringComparison.Ordinal))
        {
            _understood = null;
            return pre.Result;
        }

        return await context.CallActivityAsync<NluResult?>(ConversationActivities.Understand, new UnderstandRequest(text, today), TransientRetry)
            ?? throw new InvalidOperationException("The NLU activity returned nothing.");
    }

    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query) =>
        CallPmsAsync<IReadOnlyList<RoomOffer>>(ConversationActivities.SearchAvailability, query);

    public Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request) =>
        CallPmsAsync<Reservation>(ConversationActivities.CreateReservation, request);

    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup) =>
        CallPmsAsync<IReadOnlyList<AccessibleReservation>>(ConversationActivities.FindReservations, lookup);

    public Task<DialogPmsResult<Reservation>> ModifyReservationAsync(string reference, ReservationChange change) =>
        CallPmsAsync<Reservation>(ConversationActivities.ModifyReservation, new ModifyReservationRequest(reference, change));

    public Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(string reference, string idempotencyKey) =>
        CallPmsAsync<CancellationOutcome>(ConversationActivities.CancelReservation, new CancelReservationRequest(reference, idempotencyKey));

    public Task NotifyStaffAsync(HandoffNotice notice) =>
        context.CallActivityAsync(ConversationActivities.NotifyStaff, notice, TransientRetry);

    public Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request) =>
        CallPmsAsync<VerificationStarted>(ConversationActivities.StartVerification, request);

    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request) =>
        CallPmsAsync<CodeCheckResult>(ConversationActivities.CheckVerificationCode, request);

    public async Task NotifyReservationOwnerAsync(OwnerNoticeRequest notice)
    {
        try
        {
            await context.CallActivityAsync<bool>(ConversationActivities.NotifyReservationOwner, notice, TransientRetry);
        }
        catch (TaskFailedException)
        {
            // The change is done and the guest is answered; a notice that could not be sent is logged by the activity.
        }
    }

    private async Task<DialogPmsResult<T>> CallPmsAsync<T>(string activity, object input)
    {
        try
        {
            return await context.CallActivityAsync<DialogPmsResult<T>?>(activity, input)
                ?? DialogPmsResult<T>.Fail(DialogPmsStatus.Unavailable, "empty activity result");
        }
        catch (TaskFailedException ex)
        {
            // The activity itself failed (host-level problem): the guest still gets the graceful PMS-down answer.
            return DialogPmsResult<T>.Fail(DialogPmsStatus.Unavailable, ex.FailureDetails.ErrorType);
        }
    }
}

public sealed record UnderstandRequest(string Text, DateOnly Today);

public sealed record ModifyReservationRequest(string Reference, ReservationChange Change);

public sealed record CancelReservationRequest(string Reference, string IdempotencyKey);
