namespace HotelAgent.Core.Pms;

/// <summary>Base type of every error the PMS port reports.</summary>
public abstract class PmsException : Exception
{
    protected PmsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The requested room type has no room free on at least one night of the stay (or cannot hold the party).</summary>
public sealed class NoAvailabilityException : PmsException
{
    public NoAvailabilityException(string roomType, DateOnly checkIn, DateOnly checkOut, string? reason = null)
        : base(reason ?? $"No '{roomType}' room is free for every night from {checkIn:yyyy-MM-dd} to {checkOut:yyyy-MM-dd}.")
    {
        RoomType = roomType;
        CheckIn = checkIn;
        CheckOut = checkOut;
    }

    /// <summary>The party does not fit in one room of this type (<paramref name="capacity"/> guests max).</summary>
    public static NoAvailabilityException TooManyGuests(string roomType, DateOnly checkIn, DateOnly checkOut, int capacity, int guests) =>
        new(roomType, checkIn, checkOut, $"A '{roomType}' room holds {capacity} guests, not {guests}.") { Capacity = capacity };

    /// <summary>Throws <see cref="TooManyGuests"/> when the stay's party does not fit in one room of the type.</summary>
    public static void ThrowIfOverCapacity(string roomType, int capacity, StayQuery stay)
    {
        ArgumentNullException.ThrowIfNull(stay);
        if (stay.Guests > capacity)
        {
            throw TooManyGuests(roomType, stay.CheckIn, stay.CheckOut, capacity, stay.Guests);
        }
    }

    /// <summary>Set when the type is not sold out but too small for the party: its capacity. Null when sold out.</summary>
    public int? Capacity { get; private init; }

    public bool CapacityExceeded => Capacity is not null;

    public string RoomType { get; }
    public DateOnly CheckIn { get; }
    public DateOnly CheckOut { get; }
}

/// <summary>No reservation has this reference.</summary>
public sealed class ReservationNotFoundException : PmsException
{
    public ReservationNotFoundException(string reference)
        : base($"Reservation '{reference}' was not found.")
    {
        Reference = reference;
    }

    public string Reference { get; }
}

/// <summary>The room type code is not one the PMS knows.</summary>
public sealed class UnknownRoomTypeException : PmsException
{
    public UnknownRoomTypeException(string roomType)
        : base($"Room type '{roomType}' is not offered by this hotel.")
    {
        RoomType = roomType;
    }

    public string RoomType { get; }
}

/// <summary>The change is not allowed (e.g. the reservation is cancelled).</summary>
public sealed class ReservationChangeRejectedException : PmsException
{
    public ReservationChangeRejectedException(string reference, string reason)
        : base($"Reservation '{reference}' cannot be changed: {reason}")
    {
        Reference = reference;
        Reason = reason;
    }

    public string Reference { get; }
    public string Reason { get; }
}

/// <summary>
/// The PMS cannot be reached right now (timeout, 5xx, garbage answer, circuit open). Transient: try again later,
/// tell the guest the hotel's phone/email meanwhile. <see cref="OutcomeUnknown"/> is true when a write may have been
/// applied before the failure (retry with the same idempotency key to find out).
/// </summary>
public sealed class PmsUnavailableException : PmsException
{
    public PmsUnavailableException(string message, Exception? inner = null, bool circuitOpen = false, bool outcomeUnknown = false)
        : base(message, inner)
    {
        CircuitOpen = circuitOpen;
        OutcomeUnknown = outcomeUnknown;
    }

    public bool CircuitOpen { get; }
    public bool OutcomeUnknown { get; }
}

/// <summary>
/// The PMS needs a phone number for this guest and the booking has none (QloApps with its default "at least one phone
/// number" setting): ask the guest for one and book again with <see cref="NewReservation.Phone"/>. Nothing was booked.
/// </summary>
public sealed class GuestPhoneRequiredException : PmsException
{
    public GuestPhoneRequiredException(string message = "The PMS requires a phone number for the guest.")
        : base(message)
    {
    }
}

/// <summary>The PMS refused the request (4xx other than "no availability"/"not found": bad key, bad request). Not transient: never retried.</summary>
public sealed class PmsRequestRejectedException : PmsException
{
    public PmsRequestRejectedException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
