using System.Text;
using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Channels.Gmail;

public class IcsCalendarBuilderTests
{
    private static readonly GmailManualTimeProvider Time = new(new DateTimeOffset(2026, 11, 21, 22, 30, 5, TimeSpan.Zero));

    private static string Build(string summary = "Reserva HPS-1234 en Hotel Palermo Soho", string address = "Gorriti 4800, Palermo; Buenos Aires") =>
        Encoding.UTF8.GetString(new IcsCalendarBuilder(Time).BuildReservation(
            "HPS-1234", "Hotel Palermo Soho", address, new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14),
            new TimeOnly(15, 0), new TimeOnly(11, 0), "America/Argentina/Buenos_Aires", summary));

    private static Dictionary<string, string> Properties(string ics) =>
        ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal) // unfold
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    [Fact]
    public void Has_required_properties_with_utc_times_from_the_hotel_zone()
    {
        var p = Properties(Build());

        Assert.Equal("2.0", p["VERSION"]);
        Assert.Equal("-//HotelAgent//Reservations//ES", p["PRODID"]);
        Assert.Equal("PUBLISH", p["METHOD"]);
        Assert.Equal("HPS-1234@hotelpalermosoho.hotelagent", p["UID"]);
        Assert.Equal("20261121T223005Z", p["DTSTAMP"]);
        Assert.Equal("20261212T180000Z", p["DTSTART"]); // 15:00 in Buenos Aires (UTC-3)
        Assert.Equal("20261214T140000Z", p["DTEND"]); // 11:00 in Buenos Aires
        Assert.Equal("CONFIRMED", p["STATUS"]);
        Assert.Equal("Hotel Palermo Soho\\, Gorriti 4800\\, Palermo\\; Buenos Aires", p["LOCATION"]);
        Assert.Contains("Check-in: 2026-12-12 15:00\\n", p["DESCRIPTION"], StringComparison.Ordinal);
        var ics = Build();
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.EndsWith("END:VEVENT\r\nEND:VCALENDAR\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_line_ends_with_crlf_and_is_at_most_75_octets()
    {
        var ics = Build(summary: new string('x', 40) + " habitación doble con desayuno incluido, ¡gracias por elegirnos! " + new string('ñ', 60));

        Assert.DoesNotContain('\n', ics.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        var lines = ics.Split("\r\n")[..^1];
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)} octets: {l}"));
        Assert.Contains(lines, l => l.StartsWith(' ')); // folded continuation lines exist
        Assert.Equal(new string('x', 40) + " habitación doble con desayuno incluido\\, ¡gracias por elegirnos! " + new string('ñ', 60), Properties(ics)["SUMMARY"]);
    }

    [Fact]
    public void Escapes_text_values()
    {
        Assert.Equal("a\\\\b\\;c\\,d\\ne", IcsCalendarBuilder.Escape("a\\b;c,d\ne"));
    }

    [Fact]
    public void Rejects_check_out_before_check_in()
    {
        Assert.Throws<ArgumentException>(() => new IcsCalendarBuilder(Time).BuildReservation(
            "R", "H", "A", new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 12), new TimeOnly(15, 0), new TimeOnly(11, 0), "UTC", "s"));
    }

    [Fact]
    public void Builds_from_the_hotel_profile()
    {
        var hotel = HotelAgent.Core.Hotel.HotelProfile.Load(null);
        var p = Properties(Encoding.UTF8.GetString(new IcsCalendarBuilder(Time).BuildReservation(hotel, "HPS-9", new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 13))));
        var checkIn = TimeOnly.ParseExact(hotel.Policies.CheckInTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(hotel.TimeZone);
        var expected = TimeZoneInfo.ConvertTimeToUtc(new DateOnly(2026, 12, 12).ToDateTime(checkIn), zone);

        Assert.Equal(expected.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), p["DTSTART"]);
        Assert.StartsWith(IcsCalendarBuilder.Escape(hotel.Name), p["LOCATION"], StringComparison.Ordinal);
        Assert.Equal("reserva-HPS-9.ics", IcsCalendarBuilder.FileNameFor("HPS-9"));
        Assert.Equal("reserva-A-B.ics", IcsCalendarBuilder.FileNameFor("A/B"));
    }
}
