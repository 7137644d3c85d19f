using HotelAgent.Core.Pms;

namespace HotelAgent.Tests.Fakes.Pms;

/// <summary>What the scripted PMS does on the next calls.</summary>
public enum PmsBehaviour
{
    Healthy,
    HttpError,
    ServerError,
    Hang,

    /// <summary>Busy like a slow CPU or disk: answers only when the test calls <see cref="ScriptedPmsClient.Release"/>, ignoring cancellation.</summary>
    Slow,

    /// <summary>SQLite busy (the embedded PMS's transient fault).</summary>
    Busy,
    NoAvailability,
    NotFound,
}

/// <summary>An <see cref="IPmsClient"/> whose behaviour the test switches, counting calls (for resilience tests).</summary>
public sealed class ScriptedPmsClient : IPmsClient
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _creates;

    public PmsBehaviour Behaviour { get; set; } = PmsBehaviour.Healthy;

    /// <summary>Calls that reached this PMS (awaitable: a call has started once it is counted).</summary>
    public AwaitableCount CallCount { get; } = new();

    public int Calls => CallCount.Value;

    /// <summary>Lets every <see cref="PmsBehaviour.Slow"/> call (waiting or future) answer.</summary>
    public void Release() => _release.TrySetResult();

    public int Creates => Volatile.Read(ref _creates);

    public static RoomOffer Offer(int available = 2) => new("doble", "Habitación Doble", 2, available, 95000m, 2, 190000m, "ARS", ["desayuno"]);

    public Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<RoomTypeInfo>>(() => [new RoomTypeInfo("doble", "Habitación Doble", "d", 2, 8, 95000m, "ARS", [])], cancellationToken);

    public Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<RoomOffer>>(() => [Offer()], cancellationToken);

    public Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<RoomTypeAvailability>>(() => [new RoomTypeAvailability("doble", "Habitación Doble", 3, 95000m, "ARS")], cancellationToken);

    public Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _creates);
        return Run(() => Sample(reservation.IdempotencyKey), cancellationToken);
    }

    public Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default) => Run(() => Sample(reference), cancellationToken);

    public Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<Reservation>>(() => [Sample("x")], cancellationToken);

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<Reservation>>(() => [Sample("x")], cancellationToken);

    public Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default) =>
        Run(() => Sample(reference), cancellationToken);

    public Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Run(() => new CancellationOutcome(Sample(reference), true, 0, "ARS", DateTimeOffset.UnixEpoch), cancellationToken);

    private static Reservation Sample(string reference) => new()
    {
        Reference = "HPS-" + reference,
        GuestName = "Ana",
        Contact = "+5491155551234",
        Channel = HotelAgent.Core.Messaging.Channel.WhatsApp,
        RoomType = "doble",
        CheckIn = new DateOnly(2026, 12, 10),
        CheckOut = new DateOnly(2026, 12, 12),
        Guests = 2,
        NightlyRate = 95000m,
        TotalPrice = 190000m,
        Currency = "ARS",
        Status = ReservationStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private async Task<T> Run<T>(Func<T> ok, CancellationToken ct)
    {
        var behaviour = Behaviour;
        CallCount.Increment();
        switch (behaviour)
        {
            case PmsBehaviour.HttpError:
                throw new HttpRequestException("connection refused");
            case PmsBehaviour.ServerError:
                throw new PmsUnavailableException("500");
            case PmsBehaviour.Hang:
                await Task.Delay(Timeout.Infinite, ct);
                break;
            case PmsBehaviour.Slow:
                await _release.Task;
                break;
            case PmsBehaviour.Busy:
                throw new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
            case PmsBehaviour.NoAvailability:
                throw new NoAvailabilityException("doble", new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
            case PmsBehaviour.NotFound:
                throw new ReservationNotFoundException("HPS-NOPE00");
        }

        await Task.Yield();
        return ok();
    }
}
