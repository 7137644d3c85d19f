using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Fakes.Dialog;

/// <summary>
/// Effects over the REAL offline NLU and the REAL embedded SQLite PMS, with switches for what tests need:
/// scripted NLU results for exact texts, a PMS outage, and a record of every call and staff notice.
/// </summary>
public sealed class DialogTestEffects : IDialogEffects, IDisposable
{
    /// <summary>One offline NLU for every test (it is stateless and costly to build).</summary>
    internal static readonly Lazy<NluEngine> SharedNlu = new(() => new NluEngine());
    private readonly TempDirectory _dir = new();
    private readonly DirectDialogEffects _inner;

    public DialogTestEffects(HotelProfile profile, DateTimeOffset now)
    {
        Time = new ManualTimeProvider(now);
        Pms = new EmbeddedPmsClient(_dir.File("pms.db"), profile, Time);
        _inner = new DirectDialogEffects(SharedNlu.Value, Pms, n =>
        {
            Notices.Add(n);
            return Task.CompletedTask;
        });
    }

    public ManualTimeProvider Time { get; }

    public EmbeddedPmsClient Pms { get; }

    /// <summary>NLU results to return for exact texts instead of the real model.</summary>
    public Dictionary<string, NluResult> Scripted { get; } = new(StringComparer.Ordinal);

    /// <summary>When true every PMS call answers <see cref="DialogPmsStatus.Unavailable"/> (as the activity adapter would on PmsUnavailableException).</summary>
    public bool PmsDown { get; set; }

    public List<HandoffNotice> Notices { get; } = [];

    public List<string> Calls { get; } = [];

    public List<NewReservation> CreateRequests { get; } = [];

    public Task<NluResult> UnderstandAsync(string text, DateOnly today)
    {
        Calls.Add("nlu");
        return Scripted.TryGetValue(text, out var r) ? Task.FromResult(r with { Text = text }) : _inner.UnderstandAsync(text, today);
    }

    public Task<DialogPmsResult<IReadOnlyList<RoomOffer>>> SearchAvailabilityAsync(StayQuery query)
    {
        Calls.Add("search");
        return PmsDown ? Task.FromResult(DialogPmsResult<IReadOnlyList<RoomOffer>>.Fail(DialogPmsStatus.Unavailable)) : _inner.SearchAvailabilityAsync(query);
    }

    public Task<DialogPmsResult<Reservation>> CreateReservationAsync(NewReservation request)
    {
        Calls.Add("create");
        CreateRequests.Add(request);
        return PmsDown ? Task.FromResult(DialogPmsResult<Reservation>.Fail(DialogPmsStatus.Unavailable)) : _inner.CreateReservationAsync(request);
    }

    public Task<DialogPmsResult<IReadOnlyList<Reservation>>> FindReservationsAsync(string contact)
    {
        Calls.Add("find:" + contact);
        return PmsDown ? Task.FromResult(DialogPmsResult<IReadOnlyList<Reservation>>.Fail(DialogPmsStatus.Unavailable)) : _inner.FindReservationsAsync(contact);
    }

    public Task<DialogPmsResult<Reservation>> ModifyReservationAsync(string reference, ReservationChange change)
    {
        Calls.Add("modify:" + reference);
        return PmsDown ? Task.FromResult(DialogPmsResult<Reservation>.Fail(DialogPmsStatus.Unavailable)) : _inner.ModifyReservationAsync(reference, change);
    }

    public Task<DialogPmsResult<CancellationOutcome>> CancelReservationAsync(string reference, string idempotencyKey)
    {
        Calls.Add("cancel:" + reference);
        return PmsDown ? Task.FromResult(DialogPmsResult<CancellationOutcome>.Fail(DialogPmsStatus.Unavailable)) : _inner.CancelReservationAsync(reference, idempotencyKey);
    }

    public Task NotifyStaffAsync(HandoffNotice notice) => _inner.NotifyStaffAsync(notice);

    public void Dispose()
    {
        Pms.Dispose();
        _dir.Dispose();
    }
}
