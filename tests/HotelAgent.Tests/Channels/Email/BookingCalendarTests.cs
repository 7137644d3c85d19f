using System.Text;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Hotel;
using Ical.Net.CalendarComponents;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using IcalCalendar = Ical.Net.Calendar;

namespace HotelAgent.Tests.Channels.Email;

public class BookingCalendarTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 21, 22, 30, 5, TimeSpan.Zero));

    private static (string Text, IcalCalendar Calendar, CalendarEvent Stay) Build(HotelProfile hotel)
    {
        var options = new OptionsMonitorStub(new EmailOptions { Address = "reservas@hotelpalermosoho.com" });
        var bytes = new BookingCalendar(Time, options).Build(hotel, "HPS-1234", new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14), "lucia@example.com", "Lucía Fernández");
        var text = Encoding.UTF8.GetString(bytes);
        var calendar = IcalCalendar.Load(text)!;
        return (text, calendar, calendar.Events.Single());
    }

    [Fact]
    public void Is_a_request_in_the_hotel_time_zone_with_the_profile_times()
    {
        var hotel = HotelProfile.Load(null);
        var (text, calendar, stay) = Build(hotel);

        Assert.Equal("REQUEST", calendar.Method);
        Assert.Contains("METHOD:REQUEST", text, StringComparison.Ordinal);
        Assert.Equal(hotel.TimeZone, stay.DtStart!.TzId);
        Assert.Contains($"DTSTART;TZID={hotel.TimeZone}:20261212T{hotel.Policies.CheckInTime.Replace(":", string.Empty, StringComparison.Ordinal)}00", text, StringComparison.Ordinal);
        Assert.Contains($"DTEND;TZID={hotel.TimeZone}:20261214T{hotel.Policies.CheckOutTime.Replace(":", string.Empty, StringComparison.Ordinal)}00", text, StringComparison.Ordinal);
        Assert.Equal(hotel.TimeZone, Assert.Single(calendar.TimeZones).TzId); // the VTIMEZONE the TZID refers to

        // The instant is right: check-in time in the hotel's zone, whatever the machine's zone.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(hotel.TimeZone);
        var expected = TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, 12, 12).Add(TimeOnly.Parse(hotel.Policies.CheckInTime, System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan()), zone);
        Assert.Equal(expected, stay.DtStart.AsUtc);

        Assert.Equal("HPS-1234@hotelpalermosoho.hotelagent", stay.Uid);
        Assert.Equal("CONFIRMED", stay.Status);
        Assert.Equal("mailto:reservas@hotelpalermosoho.com", stay.Organizer!.Value!.ToString());
        var guest = Assert.Single(stay.Attendees);
        Assert.Equal("mailto:lucia@example.com", guest.Value!.ToString());
        Assert.Equal("Lucía Fernández", guest.CommonName);
        Assert.Contains(hotel.Name, stay.Location, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 11, 21, 22, 30, 5, DateTimeKind.Utc), stay.DtStamp!.AsUtc);
    }

    [Fact]
    public void File_names_are_safe_and_check_out_must_follow_check_in()
    {
        Assert.Equal("reserva-HPS-9.ics", BookingCalendar.FileNameFor("HPS-9"));
        Assert.Equal("reserva-A-B.ics", BookingCalendar.FileNameFor("A/B"));
        Assert.Throws<ArgumentException>(() => new BookingCalendar(Time, new OptionsMonitorStub(new EmailOptions())).Build(
            HotelProfile.Load(null), "R", new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 12), "a@example.com"));
    }

    private sealed class OptionsMonitorStub(EmailOptions value) : IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue => value;

        public EmailOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }
}
