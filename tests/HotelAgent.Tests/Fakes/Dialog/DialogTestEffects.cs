using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Core.Security;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Fakes.Dialog;

/// <summary>
/// Effects over the REAL offline NLU and the REAL embedded SQLite PMS, with switches for what tests need:
/// scripted NLU results for exact texts, a PMS outage, and a record of every call and staff notice. One-time codes go
/// through the REAL <see cref="ReservationVerifier"/> (SQLite store); what it sends to guests is in <see cref="Outbox"/>.
/// </summary>
public sealed class DialogTestEffects : IDialogEffects, IDisposable
{
    /// <summary>One offline NLU for every test (it is stateless and costly to build).</summary>
    internal static readonly Lazy<NluEngine> SharedNlu = new(() => new NluEngine());
    private readonly TempDirectory _dir = new();
    private readonly DirectDialogEffects _inner;

    public DialogTestEffects(HotelProfile profile, DateTimeOffset now)
    {
        Time = new FakeTimeProvider(now);
        Pms = new EmbeddedPmsClient(_dir.File("pms.db"), profile, Time);
        VerificationStore = new SqliteVerificationStore(_dir.File("security.db"));
        Verifier = new ReservationVerifier(
            VerificationStore, Pms, [new OutboxSender(Channel.WhatsApp, Outbox), new OutboxSender(Channel.Email, Outbox), new OutboxSender(Channel.WebChat, Outbox)],
            profile, Microsoft.Extensions.Options.Options.Create(SecurityOptions), Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReservationVerifier>.Instance);
        _inner = new DirectDialogEffects(SharedNlu.Value, Pms, n =>
        {
            Notices.Add(n);
            return Task.CompletedTask;
        }, Verifier);
    }

    public SecurityOptions SecurityOptions { get; } = new();

    public SqliteVerificationStore VerificationStore { get; }

    public ReservationVerifier Verifier { get; }

    /// <summary>Everything sent to guests outside the dialog's replies (one-time codes, owner notices), in order.</summary>
    public ConcurrentQueue<OutboundMessage> Outbox { get; } = new();

    public FakeTimeProvider Time { get; }

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

    public Task<DialogPmsResult<IReadOnlyList<AccessibleReservation>>> FindReservationsAsync(ReservationLookup lookup)
    {
        Calls.Add("find:" + lookup.GuestId);
        return PmsDown ? Task.FromResult(DialogPmsResult<IReadOnlyList<AccessibleReservation>>.Fail(DialogPmsStatus.Unavailable)) : _inner.FindReservationsAsync(lookup);
    }

    public Task<DialogPmsResult<VerificationStarted>> StartVerificationAsync(VerificationRequest request)
    {
        Calls.Add("verify:" + request.Reference);
        return PmsDown ? Task.FromResult(DialogPmsResult<VerificationStarted>.Fail(DialogPmsStatus.Unavailable)) : _inner.StartVerificationAsync(request);
    }

    public Task<DialogPmsResult<CodeCheckResult>> CheckVerificationCodeAsync(CodeCheckRequest request)
    {
        Calls.Add("code:" + request.Code);
        return _inner.CheckVerificationCodeAsync(request);
    }

    public Task NotifyReservationOwnerAsync(OwnerNoticeRequest notice)
    {
        Calls.Add("owner:" + notice.Reference);
        return _inner.NotifyReservationOwnerAsync(notice);
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
        VerificationStore.Dispose();
        Pms.Dispose();
        _dir.Dispose();
    }
}

/// <summary>A channel sender that records what it would send (one-time codes, owner notices).</summary>
public sealed class OutboxSender(Channel channel, ConcurrentQueue<OutboundMessage> outbox) : IChannelSender
{
    public Channel Channel => channel;

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        outbox.Enqueue(message);
        return Task.CompletedTask;
    }
}
