using System.Globalization;
using System.Text;
using HotelAgent.Core.Hotel;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Options;
using IcalCalendar = Ical.Net.Calendar;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// The .ics attached to an email booking confirmation, built with Ical.Net: <c>METHOD:REQUEST</c> (calendar clients
/// offer to add it), one VEVENT from check-in to check-out at the hotel profile's times in the hotel's time zone
/// (<c>TZID</c> with its VTIMEZONE), the hotel mailbox as ORGANIZER and the guest as ATTENDEE.
/// </summary>
public sealed class BookingCalendar(TimeProvider time, IOptionsMonitor<EmailOptions> options)
{
    public const string ContentType = "text/calendar; charset=utf-8; method=REQUEST";

    private static readonly TimeOnly DefaultCheckIn = new(15, 0);
    private static readonly TimeOnly DefaultCheckOut = new(11, 0);

    /// <summary>A file name for the attachment, e.g. <c>reserva-HPS-1234.ics</c>.</summary>
    public static string FileNameFor(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return "reserva-" + new string(reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()) + ".ics";
    }

    /// <summary>The calendar for a stay at <paramref name="hotel"/> booked by <paramref name="guestAddress"/>, UTF-8.</summary>
    public byte[] Build(HotelProfile hotel, string reference, DateOnly checkIn, DateOnly checkOut, string guestAddress, string? guestName = null)
    {
        ArgumentNullException.ThrowIfNull(hotel);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (checkOut <= checkIn)
        {
            throw new ArgumentException("Check-out must be after check-in.", nameof(checkOut));
        }

        var zone = ResolveZone(hotel.TimeZone);
        var checkInTime = ParseTime(hotel.Policies.CheckInTime, DefaultCheckIn);
        var checkOutTime = ParseTime(hotel.Policies.CheckOutTime, DefaultCheckOut);
        var organizer = options.CurrentValue.Address is { Length: > 0 } address ? address : hotel.Email;
        var location = string.Join(", ", new[] { hotel.Name, hotel.Address, hotel.City, hotel.Country }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var uidHost = new string(hotel.Name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

        var calendar = new IcalCalendar { Method = "REQUEST", ProductId = "-//HotelAgent//Reservations//ES" };
        if (zone != CalDateTime.UtcTzId)
        {
            calendar.AddTimeZone(zone);
        }

        var stay = new CalendarEvent
        {
            Uid = $"{reference}@{(uidHost.Length > 0 ? uidHost : "hotel")}.hotelagent",
            DtStamp = new CalDateTime(time.GetUtcNow().UtcDateTime, CalDateTime.UtcTzId),
            DtStart = new CalDateTime(checkIn, checkInTime, zone),
            DtEnd = new CalDateTime(checkOut, checkOutTime, zone),
            Summary = $"Reserva {reference} - {hotel.Name}",
            Location = location,
            Description = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"Reserva {reference} - {hotel.Name}\n")
                .Append(CultureInfo.InvariantCulture, $"Check-in: {checkIn:yyyy-MM-dd} {checkInTime:HH\\:mm}\n")
                .Append(CultureInfo.InvariantCulture, $"Check-out: {checkOut:yyyy-MM-dd} {checkOutTime:HH\\:mm}\n")
                .Append(CultureInfo.InvariantCulture, $"{hotel.Phone} · {hotel.Email}")
                .ToString(),
            Status = "CONFIRMED",
            Transparency = "TRANSPARENT",
            Sequence = 0,
            Organizer = new Organizer("mailto:" + organizer) { CommonName = hotel.Name },
        };
        stay.Attendees.Add(new Attendee("mailto:" + guestAddress)
        {
            CommonName = string.IsNullOrWhiteSpace(guestName) ? null : guestName,
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = "ACCEPTED",
            Rsvp = false,
        });
        calendar.Events.Add(stay);
        return Encoding.UTF8.GetBytes(new CalendarSerializer().SerializeToString(calendar)!);
    }

    private static TimeOnly ParseTime(string? value, TimeOnly fallback) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : fallback;

    /// <summary>The hotel's IANA zone as Ical.Net (NodaTime) knows it; UTC when the profile names an unknown zone.</summary>
    private static string ResolveZone(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return CalDateTime.UtcTzId;
        }

        return NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is not null ? timeZone : CalDateTime.UtcTzId;
    }
}
