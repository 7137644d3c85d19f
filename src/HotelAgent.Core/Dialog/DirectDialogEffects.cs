using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Core.Dialog;

/// <summary>
/// <see cref="IDialogEffects"/> calling the NLU and PMS directly (standalone mode, CLI chat, tests). Under Durable Functions the
/// lead's orchestrator uses activities instead, with <see cref="DialogPmsResult.CaptureAsync{T}"/> for the same error mapping.
/// </summary>
public sealed class DirectDialogEffects : IDialogEffects
{
    private readonly Func<string, DateOnly, Task<NluResult>> _understand;
    private readonly IPmsClient _pms;
    private readonly Func<HandoffNotice, Task> _notify;
    private readonly ReservationVerifier? _verifier;

    /// <param name="verifier">The one-time-code service; without it no code is ever sent or accepted (a booking that is not the guest's own stays closed).</param>
    public DirectDialogEffects(INluEngine nlu, IPmsClient pms, Func<HandoffNotice, Task>? notifyStaff = null, ReservationVerifier? verifier = null)
    {
        ArgumentNullException.ThrowIfNull(nlu);
        ArgumentNullException.ThrowIfNull(pms);
        _understand = (text, today) => Task.FromResult(nlu.Parse(text, today));
        _pms = pms;
        _notify = notifyStaff ?? (_ => Task.CompletedTask);
        _verifier = verifier;
    }

    /// <summary>With the full understanding pipeline (offline NLU plus the optional LLM second opinion).</summary>
    public DirectDialogEffects(IIntentUnderstanding understanding, IPmsClient pms, Func<HandoffNotice, Task>? notifyStaff = null, ReservationVerifier? verifier = null)
    {
        ArgumentNullException.ThrowIfNull(understanding);
        ArgumentNullException.ThrowIfNull(pms);
        _understand = (text, today) => understanding.UnderstandAsync(text, today, CancellationToken.None);
        _pms = pms;
        _notify = notifyStaff ?? (_ => Task.CompletedTask);
        _verifier = verifier;
    }

    public Task<NluResult> UnderstandAsync(string text, DateOnly today) => _understand(text, today);

    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query) =>
        DialogPmsResult.CaptureAsync(() => _pms.SearchAvailabilityAsync(query));

    public Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request) =>
        DialogPmsResult.CaptureAsync(() => _pms.CreateReservationAsync(request));

    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup) =>
        DialogPmsResult.CaptureAsync(() => GuestReservations.FindAsync(_pms, lookup, CancellationToken.None));

    public Task<DialogPmsResult<Reservation>> ModifyReservationAsync(string reference, ReservationChange change) =>
        DialogPmsResult.CaptureAsync(() => _pms.ModifyReservationAsync(reference, change));

    public Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(string reference, string idempotencyKey) =>
        DialogPmsResult.CaptureAsync(() => _pms.CancelReservationAsync(reference, idempotencyKey));

    public Task NotifyStaffAsync(HandoffNotice notice) => _notify(notice);

    // Without a verifier these effects reach no channel: no code can be sent, so every code is wrong (fails closed) and
    // there is no owner contact to notify.
    public Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request) =>
        _verifier?.StartAsync(request, CancellationToken.None)
        ?? Task.FromResult(DialogPmsResult<VerificationStarted>.Ok(new VerificationStarted("vc-unsent")));

    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request) =>
        _verifier?.CheckAsync(request, CancellationToken.None)
        ?? Task.FromResult(DialogPmsResult<CodeCheckResult>.Ok(new CodeCheckResult(CodeCheckStatus.Wrong)));

    public Task NotifyReservationOwnerAsync(OwnerNoticeRequest notice) =>
        _verifier?.NotifyOwnerAsync(notice, CancellationToken.None) ?? Task.CompletedTask;
}
