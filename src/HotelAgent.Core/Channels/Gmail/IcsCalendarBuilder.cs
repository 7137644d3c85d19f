using System.Globalization;
using System.Text;
using HotelAgent.Core.Hotel;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>
/// Builds the RFC 5545 .ics attached to booking confirmations by email.
/// Design: DTSTART/DTEND are UTC instants (form #2, RFC 5545 §3.3.5) converted from the hotel's local
/// check-in and check-out times with its IANA time zone. That is exact, needs no VTIMEZONE component
/// (a TZID parameter must reference one) and every calendar client shows the guest's local time.
/// Lines end with CRLF and are folded at 75 octets without splitting UTF-8 sequences.
/// </summary>
public sealed class IcsCalendarBuilder(TimeProvider timeProvider)
{
    public const string ContentType = "text/calendar; charset=utf-8; method=PUBLISH";

    /// <summary>Convenience: the stay at <paramref name="hotel"/> with its check-in/out times ("HH:mm") and time zone.</summary>
    public byte[] BuildReservation(HotelProfile hotel, string reference, DateOnly checkIn, DateOnly checkOut, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(hotel);
        return BuildReservation(
            reference,
            hotel.Name,
            $"{hotel.Address}, {hotel.City}, {hotel.Country}",
            checkIn,
            checkOut,
            ParseTime(hotel.Policies.CheckInTime, new TimeOnly(15, 0)),
            ParseTime(hotel.Policies.CheckOutTime, new TimeOnly(11, 0)),
            hotel.TimeZone,
            summary ?? $"Reserva {reference} - {hotel.Name}");
    }

    /// <summary>A file name for the attachment, e.g. <c>reserva-HPS-1234.ics</c>.</summary>
    public static string FileNameFor(string reference) =>
        "reserva-" + new string(reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()) + ".ics";

    public byte[] BuildReservation(
        string reference,
        string hotelName,
        string address,
        DateOnly checkIn,
        DateOnly checkOut,
        TimeOnly checkInTime,
        TimeOnly checkOutTime,
        string timeZone,
        string summary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(hotelName);
        if (checkOut <= checkIn)
        {
            throw new ArgumentException("Check-out must be after check-in.", nameof(checkOut));
        }

        var zone = ResolveZone(timeZone);
        var start = ToUtc(checkIn.ToDateTime(checkInTime), zone);
        var end = ToUtc(checkOut.ToDateTime(checkOutTime), zone);
        var stamp = timeProvider.GetUtcNow().UtcDateTime;
        var uidHost = new string(hotelName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

        var description = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Reserva {reference} - {hotelName}\n")
            .Append(CultureInfo.InvariantCulture, $"Check-in: {checkIn:yyyy-MM-dd} {checkInTime:HH\\:mm}\n")
            .Append(CultureInfo.InvariantCulture, $"Check-out: {checkOut:yyyy-MM-dd} {checkOutTime:HH\\:mm}\n")
            .Append(CultureInfo.InvariantCulture, $"({zone.Id})")
            .ToString();

        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//HotelAgent//Reservations//ES",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:" + Escape(reference) + "@" + (uidHost.Length > 0 ? uidHost : "hotelagent") + ".hotelagent",
            "DTSTAMP:" + FormatUtc(stamp),
            "DTSTART:" + FormatUtc(start),
            "DTEND:" + FormatUtc(end),
            "SUMMARY:" + Escape(string.IsNullOrWhiteSpace(summary) ? $"Estadía en {hotelName}" : summary),
            "LOCATION:" + Escape(string.IsNullOrWhiteSpace(address) ? hotelName : $"{hotelName}, {address}"),
            "DESCRIPTION:" + Escape(description),
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "SEQUENCE:0",
            "END:VEVENT",
            "END:VCALENDAR",
        };

        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(sb, line);
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Escapes TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma, newline.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\n", StringComparison.Ordinal);

    /// <summary>Appends a content line folded at 75 octets (RFC 5545 §3.1), CRLF-terminated.</summary>
    internal static void Fold(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = 75;
        var e = StringInfo.GetTextElementEnumerator(line);
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            var n = Encoding.UTF8.GetByteCount(element);
            if (octets + n > limit)
            {
                sb.Append("\r\n ");
                octets = 1; // the leading space of the continuation line counts
            }

            sb.Append(element);
            octets += n;
        }

        sb.Append("\r\n");
    }

    private static TimeOnly ParseTime(string? value, TimeOnly fallback) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : fallback;

    private static TimeZoneInfo ResolveZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
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

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1); // skipped by a DST jump: use the first valid time
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    private static string FormatUtc(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
