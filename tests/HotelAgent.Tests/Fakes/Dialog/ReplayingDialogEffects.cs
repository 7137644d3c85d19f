using System.Text.Json;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Tests.Fakes.Dialog;

/// <summary>
/// Behaves like a Durable Functions replay: in record mode it forwards to real effects and stores each result as JSON
/// (as the orchestration history would); in replay mode it answers from the stored results in order.
/// </summary>
public sealed class ReplayingDialogEffects(IDialogEffects? live) : IDialogEffects
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<(string Call, string Json)> _history = [];
    private int _cursor;

    public IReadOnlyList<(string Call, string Json)> History => _history;

    public ReplayingDialogEffects ForReplay()
    {
        var replay = new ReplayingDialogEffects(null);
        replay._history.AddRange(_history);
        return replay;
    }

    private async Task<T> Step<T>(string call, Func<IDialogEffects, Task<T>> run)
    {
        if (live is not null)
        {
            var value = await run(live);
            _history.Add((call, JsonSerializer.Serialize(value, Json)));
            return value;
        }

        var (recorded, json) = _history[_cursor++];
        if (!string.Equals(recorded, call, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Non-deterministic replay: expected {recorded}, got {call}.");
        }

        return JsonSerializer.Deserialize<T>(json, Json)!;
    }

    public Task<NluResult> UnderstandAsync(string text, DateOnly today) => Step("nlu:" + text, e => e.UnderstandAsync(text, today));

    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query) => Step("search:" + query, e => e.SearchAvailabilityAsync(query));

    public Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request) => Step("create:" + request.IdempotencyKey, e => e.CreateReservationAsync(request));

    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup) => Step("find:" + lookup.GuestId, e => e.FindReservationsAsync(lookup));

    public Task<DialogPmsResult<Reservation>> ModifyReservationAsync(string reference, ReservationChange change) => Step("modify:" + reference, e => e.ModifyReservationAsync(reference, change));

    public Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(string reference, string idempotencyKey) => Step("cancel:" + reference, e => e.CancelReservationAsync(reference, idempotencyKey));

    public Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request) => Step("verify:" + request.Reference, e => e.StartVerificationAsync(request));

    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request) => Step("code:" + request.ChallengeId, e => e.CheckVerificationCodeAsync(request));

    public async Task NotifyReservationOwnerAsync(OwnerNoticeRequest notice) => await Step("owner:" + notice.Reference, async e =>
    {
        await e.NotifyReservationOwnerAsync(notice);
        return true;
    });

    public async Task NotifyStaffAsync(HandoffNotice notice) => await Step("notify:" + notice.Reason, async e =>
    {
        await e.NotifyStaffAsync(notice);
        return true;
    });
}
