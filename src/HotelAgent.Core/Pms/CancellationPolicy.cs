using HotelAgent.Core.Hotel;

namespace HotelAgent.Core.Pms;

/// <summary>
/// Free cancellation until <c>FreeCancellationHours</c> before check-in (check-in day at the hotel's check-in time, hotel time zone);
/// later cancellations are charged the first night, as the sample policy states.
/// </summary>
public sealed class CancellationPolicy
{
    private readonly HotelProfile _profile;
    private readonly TimeProvider _time;

    public CancellationPolicy(HotelProfile profile, TimeProvider time)
    {
        _profile = profile;
        _time = time;
    }

    public DateTimeOffset FreeUntil(DateOnly checkIn) => FreeUntil(_profile, checkIn);

    /// <summary>The free-cancellation deadline of a stay (pure: the dialog states it before asking to cancel).</summary>
    public static DateTimeOffset FreeUntil(HotelProfile profile, DateOnly checkIn)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var zone = HotelTimeZone(profile);
        var time = TimeOnly.TryParse(profile.Policies.CheckInTime, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : new TimeOnly(14, 0);
        var local = checkIn.ToDateTime(time, DateTimeKind.Unspecified);
        var offset = zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).AddHours(-profile.Policies.FreeCancellationHours);
    }

    /// <summary>The outcome of cancelling at <paramref name="cancelledAt"/> (now when null).</summary>
    public CancellationOutcome Evaluate(Reservation reservation, DateTimeOffset? cancelledAt = null, bool alreadyCancelled = false)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var deadline = FreeUntil(reservation.CheckIn);
        var free = (cancelledAt ?? _time.GetUtcNow()) <= deadline;
        return new CancellationOutcome(reservation, free, free ? 0m : reservation.NightlyRate, reservation.Currency, deadline, alreadyCancelled);
    }

    internal static TimeZoneInfo HotelTimeZone(HotelProfile profile)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(profile.TimeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
