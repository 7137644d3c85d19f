using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Pms;

/// <summary>A stay to price: nights are [CheckIn, CheckOut).</summary>
public sealed record StayQuery(DateOnly CheckIn, DateOnly CheckOut, int Guests, string? RoomType = null)
{
    public int Nights => CheckOut.DayNumber - CheckIn.DayNumber;

    /// <summary>Throws <see cref="ArgumentException"/> when the stay is not bookable (no nights, no guests).</summary>
    public void Validate()
    {
        if (Nights <= 0)
        {
            throw new ArgumentException("Check-out must be after check-in.", nameof(CheckOut));
        }

        if (Nights > PmsLimits.MaxNights)
        {
            throw new ArgumentException($"A stay can have at most {PmsLimits.MaxNights} nights.", nameof(CheckOut));
        }

        if (Guests <= 0)
        {
            throw new ArgumentException("A stay needs at least one guest.", nameof(Guests));
        }
    }
}

public static class PmsLimits
{
    /// <summary>Longest stay the PMS books in one reservation.</summary>
    public const int MaxNights = 60;

    /// <summary>Longest range of the staff availability calendar.</summary>
    public const int MaxCalendarDays = 366;
}

/// <summary>A room type as the PMS knows it (canonical code: simple, doble, triple, familiar, suite, ejecutiva).</summary>
public sealed record RoomTypeInfo(
    string Code,
    string Name,
    string Description,
    int Capacity,
    int Inventory,
    decimal NightlyRate,
    string Currency,
    IReadOnlyList<string> Includes);

/// <summary>A priced, bookable option for a stay. <see cref="Available"/> rooms are free on every night of the stay.</summary>
public sealed record RoomOffer(
    string RoomType,
    string Name,
    int Capacity,
    int Available,
    decimal NightlyRate,
    int Nights,
    decimal TotalPrice,
    string Currency,
    IReadOnlyList<string> Includes);

/// <summary>Staff view of one room type over a date range: the fewest rooms free on any night of the range.</summary>
public sealed record RoomTypeAvailability(string RoomType, string Name, int Available, decimal NightlyRate, string Currency);

public sealed record NewReservation
{
    /// <summary>Stable key of the booking attempt (e.g. conversation id + quote id): retries with the same key return the same reservation.</summary>
    public required string IdempotencyKey { get; init; }
    public required string GuestName { get; init; }

    /// <summary>Phone in E.164 (WhatsApp) or email address (email channel): how the guest finds their bookings again.</summary>
    public required string Contact { get; init; }
    public string? Email { get; init; }

    /// <summary>
    /// The guest's phone when they gave one (E.164 or as typed). WhatsApp guests need none: their <see cref="Contact"/> is their
    /// phone. Never a made-up number: a PMS that requires a phone throws <see cref="GuestPhoneRequiredException"/> instead.
    /// </summary>
    public string? Phone { get; init; }
    public required Channel Channel { get; init; }
    public required string RoomType { get; init; }
    public required DateOnly CheckIn { get; init; }
    public required DateOnly CheckOut { get; init; }
    /// <summary>People who take a bed (adults and children who are not infants): what room capacity is checked against.</summary>
    public required int Guests { get; init; }

    /// <summary>How many of <see cref="Guests"/> are children (0 when unknown or none).</summary>
    public int Children { get; init; }

    /// <summary>Infants travelling on top of <see cref="Guests"/>: free, in the parents' bed, not counted for capacity.</summary>
    public int Infants { get; init; }

    /// <summary>What the hotel should know, for staff (e.g. the party and a crib request); never shown to other guests.</summary>
    public string? Note { get; init; }

    public StayQuery ToStay() => new(CheckIn, CheckOut, Guests, RoomType);
}

public enum ReservationStatus
{
    Confirmed,
    Cancelled,
}

public sealed record Reservation
{
    /// <summary>Short human-friendly reference, e.g. "HPS-4K7Q2M".</summary>
    public required string Reference { get; init; }
    public required string GuestName { get; init; }
    public required string Contact { get; init; }
    public string? Email { get; init; }
    public required Channel Channel { get; init; }
    public required string RoomType { get; init; }
    public required DateOnly CheckIn { get; init; }
    public required DateOnly CheckOut { get; init; }
    public required int Guests { get; init; }

    /// <summary>How many of <see cref="Guests"/> are children (0 when unknown or none).</summary>
    public int Children { get; init; }

    /// <summary>Infants on top of <see cref="Guests"/> (free, not counted for capacity).</summary>
    public int Infants { get; init; }

    /// <summary>Staff note made at booking (the party, a crib request).</summary>
    public string? Note { get; init; }
    public required decimal NightlyRate { get; init; }
    public required decimal TotalPrice { get; init; }
    public required string Currency { get; init; }
    public required ReservationStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public int Nights => CheckOut.DayNumber - CheckIn.DayNumber;

    /// <summary>
    /// A confirmed booking of <paramref name="request"/> in <paramref name="type"/> at that type's rate, as the embedded PMS
    /// stores it (SQLite or Azure Tables): trimmed name and contact; the contact is the email when no email was given.
    /// </summary>
    public static Reservation Confirm(NewReservation request, RoomTypeInfo type, string reference, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(type);
        return new Reservation
        {
            Reference = reference,
            GuestName = request.GuestName.Trim(),
            Contact = request.Contact.Trim(),
            Email = string.IsNullOrWhiteSpace(request.Email) ? (ContactNormalizer.IsEmail(request.Contact) ? request.Contact.Trim() : null) : request.Email.Trim(),
            Channel = request.Channel,
            RoomType = type.Code,
            CheckIn = request.CheckIn,
            CheckOut = request.CheckOut,
            Guests = request.Guests,
            Children = Math.Clamp(request.Children, 0, request.Guests),
            Infants = Math.Max(0, request.Infants),
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            NightlyRate = type.NightlyRate,
            TotalPrice = type.NightlyRate * (request.CheckOut.DayNumber - request.CheckIn.DayNumber),
            Currency = type.Currency,
            Status = ReservationStatus.Confirmed,
            CreatedAt = createdAt,
        };
    }

    /// <summary>This booking moved to <paramref name="stay"/> in room type <paramref name="type"/>, priced at that type's rate.</summary>
    public Reservation WithStay(StayQuery stay, RoomTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(stay);
        ArgumentNullException.ThrowIfNull(type);
        return this with
        {
            RoomType = type.Code,
            CheckIn = stay.CheckIn,
            CheckOut = stay.CheckOut,
            Guests = stay.Guests,
            Children = Math.Min(Children, stay.Guests),
            NightlyRate = type.NightlyRate,
            TotalPrice = type.NightlyRate * stay.Nights,
            Currency = type.Currency,
        };
    }
}

/// <summary>A change to an existing reservation; null fields keep their current value.</summary>
public sealed record ReservationChange
{
    public required string IdempotencyKey { get; init; }
    public DateOnly? CheckIn { get; init; }
    public DateOnly? CheckOut { get; init; }
    public string? RoomType { get; init; }
    public int? Guests { get; init; }

    /// <summary>
    /// The stay <paramref name="current"/> becomes with this change, validated (every PMS applies the same rules).
    /// </summary>
    /// <exception cref="ReservationChangeRejectedException">The booking is cancelled.</exception>
    /// <exception cref="ArgumentException">The resulting stay is not bookable.</exception>
    public StayQuery StayFor(Reservation current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Status == ReservationStatus.Cancelled)
        {
            throw new ReservationChangeRejectedException(current.Reference, "it is cancelled");
        }

        var stay = new StayQuery(CheckIn ?? current.CheckIn, CheckOut ?? current.CheckOut, Guests ?? current.Guests, RoomType ?? current.RoomType);
        stay.Validate();
        return stay;
    }
}

/// <summary>Staff listing filter; every field is optional.</summary>
public sealed record ReservationFilter
{
    public ReservationStatus? Status { get; init; }

    /// <summary>Only stays that have at least one night on or after this date.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Only stays that start before this date.</summary>
    public DateOnly? To { get; init; }
    public int Limit { get; init; } = 200;
}

/// <summary>What the cancellation costs the guest, per <c>HotelPolicies.FreeCancellationHours</c>.</summary>
public sealed record CancellationOutcome(
    Reservation Reservation,
    bool Free,
    decimal Charge,
    string Currency,
    DateTimeOffset FreeCancellationDeadline,
    bool AlreadyCancelled = false);
