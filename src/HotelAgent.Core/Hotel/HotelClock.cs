namespace HotelAgent.Core.Hotel;

/// <summary>Dates as the hotel sees them ("mañana" is tomorrow in the hotel's time zone, not the server's).</summary>
public static class HotelClock
{
    /// <summary>The hotel's local date at <paramref name="utcNow"/> (UTC date when the zone is unknown to this machine).</summary>
    public static DateOnly Today(HotelProfile hotel, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(hotel);
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(hotel.TimeZone);
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone));
        }
        catch (TimeZoneNotFoundException)
        {
            return DateOnly.FromDateTime(utcNow);
        }
    }
}
