using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Core.Hotel;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using MimeKit;
using Xunit.Abstractions;
using IcalCalendar = Ical.Net.Calendar;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// A whole booking by email through the standalone host and the real mail servers: a Spanish guest writes to the hotel
/// mailbox, answers the receptionist's questions by replying in the thread from their mail client (quoted history
/// included), confirms, and gets a threaded confirmation with the booking's .ics; later cancels it by email, which
/// takes the one-time code sent to the booking's own address.
/// </summary>
[Collection(MailServersCollection.Name)]
public sealed partial class EmailBookingEndToEndTests(MailServerFixture mail, ITestOutputHelper output)
{
    [Fact]
    public async Task Spanish_guest_books_by_email_in_one_thread_and_cancels_with_the_code_sent_to_the_booking_address()
    {
        var hotel = mail.CreateMailbox();
        var guestMailbox = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        foreach (var (key, value) in mail.EmailSettings(hotel))
        {
            settings[key] = value;
        }

        await using var host = await StandaloneHost.StartAsync(settings);
        var guest = new EmailGuest(mail, hotel, guestMailbox, () => StaffApi.Client(host.BaseAddress, StandaloneHost.StaffKey));
        var stay = ConversationEndToEndTests.FutureStay();

        async Task<string> Say(Func<Task<IReadOnlyList<MimeMessage>>> turn)
        {
            var replies = await turn();
            output.WriteLine(">>> " + (guest.Sent[^1].TextBody ?? string.Empty).Split('\n')[0]);
            output.WriteLine(EmailGuest.Transcript(replies));
            Assert.NotEmpty(replies);
            return string.Join("\n", replies.Select(r => r.TextBody));
        }

        // The booking: every answer is a reply in the thread, quoting the receptionist's last email (with its prices,
        // dates and options) under the guest's words, from three different mail clients.
        var quote = await Say(() => guest.WriteNewAsync("Consulta por habitación", $"Hola! ¿Tienen lugar para 2 personas {stay.Spanish}? Gracias"));
        Assert.Contains("Habitación Doble", quote, StringComparison.Ordinal);
        Assert.Contains("ARS 95.000", quote, StringComparison.Ordinal);
        Assert.Contains("Lucía Fernández", await Say(() => guest.ReplyAsync("la doble", MailClientStyle.Gmail)), StringComparison.Ordinal);
        Assert.Contains("¿Confirmo la reserva?", await Say(() => guest.ReplyAsync("sí, a mi nombre", MailClientStyle.Outlook)), StringComparison.Ordinal);
        var confirmed = await Say(() => guest.ReplyAsync("Sí, confirmo", MailClientStyle.AppleMail));
        var reference = ReferencePattern().Match(confirmed);
        Assert.True(reference.Success, "no booking reference in: " + confirmed);

        // The confirmation threads to the guest's email and carries the .ics.
        var confirmation = Assert.Single(guest.Received, m => m.TextBody?.Contains(reference.Value, StringComparison.Ordinal) == true);
        var confirming = guest.Sent[^1];
        Assert.Equal("Re: Consulta por habitación", confirmation.Subject);
        Assert.Equal(confirming.MessageId, confirmation.InReplyTo);
        Assert.Equal(guest.Sent[0].MessageId, confirmation.References[0]);
        Assert.Equal(confirming.MessageId, confirmation.References[^1]);
        Assert.Equal(hotel.Address, confirmation.From.Mailboxes.Single().Address);
        AssertCalendar(confirmation, reference.Value, stay.CheckIn, stay.CheckOut, guest.Address);
        Assert.Single(guest.Received, m => m.Attachments.Any()); // only the confirmation has an attachment

        using var staff = StaffApi.Client(host.BaseAddress, StandaloneHost.StaffKey);
        var booking = Assert.Single(await staff.GetFromJsonAsync<JsonElement[]>("api/staff/reservations") ?? []);
        Assert.Equal(reference.Value, booking.GetProperty("reference").GetString());
        Assert.Equal(guest.Address, booking.GetProperty("contact").GetString());
        Assert.Equal("doble", booking.GetProperty("roomType").GetString());
        Assert.Equal(stay.CheckIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), booking.GetProperty("checkIn").GetString());
        Assert.Equal(stay.CheckOut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), booking.GetProperty("checkOut").GetString());
        Assert.Equal(2, booking.GetProperty("guests").GetInt32());
        Assert.Equal("email", booking.GetProperty("channel").GetString());
        Assert.Equal("confirmed", booking.GetProperty("status").GetString());

        // Cancelling by email needs the one-time code, sent to the booking's own address (a From header proves nothing).
        var before = guest.Received.Count;
        var asked = await Say(() => guest.ReplyAsync("Hola de nuevo. Surgió un imprevisto, quiero cancelar mi reserva", MailClientStyle.Gmail, replyTo: confirmation));
        Assert.Contains("código de verificación", asked, StringComparison.Ordinal);
        var codeEmail = Assert.Single(guest.Received.Skip(before), m => m.TextBody?.Contains("Tu código de verificación", StringComparison.Ordinal) == true);
        Assert.Equal(guest.Address, codeEmail.To.Mailboxes.Single().Address);
        Assert.Contains(reference.Value, codeEmail.TextBody, StringComparison.Ordinal);
        var code = CodePattern().Match(codeEmail.TextBody!).Value;
        Assert.Equal(6, code.Length);
        Assert.DoesNotContain(guest.Received, m => m != codeEmail && m.TextBody?.Contains(code, StringComparison.Ordinal) == true);
        var question = guest.Received.Last(m => m != codeEmail);

        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        Assert.Contains("no coincide", await Say(() => guest.ReplyAsync($"Creo que es {wrong}", MailClientStyle.Outlook, replyTo: question)), StringComparison.Ordinal);
        Assert.Equal("confirmed", await StatusOf(staff, reference.Value));

        var verified = await Say(() => guest.ReplyAsync($"Perdón, el código es {code}", MailClientStyle.AppleMail));
        Assert.Contains("verificado", verified, StringComparison.Ordinal);
        Assert.Contains(reference.Value, verified, StringComparison.Ordinal);
        Assert.Equal("confirmed", await StatusOf(staff, reference.Value)); // the guest still says yes to the cancellation itself

        var cancelled = await Say(() => guest.ReplyAsync("Sí, por favor.", MailClientStyle.Gmail));
        Assert.Contains(reference.Value, cancelled, StringComparison.Ordinal);
        Assert.Contains("cancel", cancelled, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("cancelled", await StatusOf(staff, reference.Value));
    }

    /// <summary>The confirmation's .ics: METHOD:REQUEST, the stay at the hotel's check-in/out times in its time zone.</summary>
    private static void AssertCalendar(MimeMessage confirmation, string reference, DateOnly checkIn, DateOnly checkOut, string guestAddress)
    {
        var hotel = HotelProfile.Load(null);
        var part = Assert.IsAssignableFrom<MimePart>(Assert.Single(confirmation.Attachments));
        Assert.True(part.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", part.ContentType.Parameters["method"]);
        Assert.Equal($"reserva-{reference}.ics", part.FileName);
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        var text = Encoding.UTF8.GetString(content.ToArray());
        var calendar = IcalCalendar.Load(text)!;
        Assert.Equal("REQUEST", calendar.Method);
        var stay = Assert.Single(calendar.Events);
        Assert.Equal(hotel.TimeZone, stay.DtStart!.TzId);
        Assert.Equal(hotel.TimeZone, stay.DtEnd!.TzId);
        Assert.Equal(hotel.TimeZone, Assert.Single(calendar.TimeZones).TzId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(hotel.TimeZone);
        var checkInAt = checkIn.ToDateTime(TimeOnly.Parse(hotel.Policies.CheckInTime, CultureInfo.InvariantCulture));
        var checkOutAt = checkOut.ToDateTime(TimeOnly.Parse(hotel.Policies.CheckOutTime, CultureInfo.InvariantCulture));
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(checkInAt, zone), stay.DtStart.AsUtc);
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(checkOutAt, zone), stay.DtEnd.AsUtc);
        Assert.StartsWith(reference + "@", stay.Uid, StringComparison.Ordinal);
        Assert.Equal("mailto:" + guestAddress, Assert.Single(stay.Attendees).Value!.ToString());
    }

    private static async Task<string?> StatusOf(HttpClient staff, string reference)
    {
        var reservations = await staff.GetFromJsonAsync<JsonElement[]>("api/staff/reservations") ?? [];
        return Assert.Single(reservations, r => r.GetProperty("reference").GetString() == reference).GetProperty("status").GetString();
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex CodePattern();
}
