namespace HotelAgent.Core.Pms;

/// <summary>
/// The hotel's property management system: the only source of room, price and availability facts.
/// Errors: <see cref="NoAvailabilityException"/>, <see cref="ReservationNotFoundException"/>,
/// <see cref="UnknownRoomTypeException"/>, <see cref="ReservationChangeRejectedException"/>,
/// <see cref="PmsUnavailableException"/> (transient), <see cref="ArgumentException"/> for invalid stays.
/// </summary>
public interface IPmsClient
{
    Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Offers for the stay, cheapest first: only room types whose capacity holds all guests in ONE room and with at least one
    /// room free on every night. A party larger than the biggest room gets no offers (empty list): the dialog should say so
    /// and offer reception (multi-room bookings are not built).
    /// </summary>
    Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default);

    /// <summary>Staff calendar for nights [from, to): per room type the minimum rooms free across the range.</summary>
    Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Books one room. Idempotent by <see cref="NewReservation.IdempotencyKey"/>: the same key returns the same reservation.</summary>
    Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default);

    Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>All reservations (any status) of a guest contact (E.164 phone or email), newest first.</summary>
    Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Re-prices and moves the booking atomically (old nights released, new nights checked). Idempotent by key.</summary>
    Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default);

    /// <summary>Cancels and releases the nights; returns the policy outcome. Idempotent (cancelling twice is not an error).</summary>
    Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default);
}
