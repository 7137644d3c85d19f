using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// Email identities through the whole standalone host and real mail servers (Dovecot inbox → poll → conversation → SMTP):
/// a From header is not proof. An email whose replies go to an address that did not book sees and cancels nothing; the
/// only code goes to the booking's own mailbox.
/// </summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailIdentityEndToEndTests(MailServerFixture mail)
{
    [Fact]
    public async Task An_email_from_an_address_that_did_not_book_can_neither_read_nor_cancel()
    {
        var hotel = mail.CreateMailbox();
        var owner = mail.CreateMailbox(MailServerFixture.GuestDomain);
        var intruder = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        foreach (var (key, value) in mail.EmailSettings(hotel))
        {
            settings[key] = value;
        }

        await using var host = await StandaloneHost.StartAsync(settings);
        var stay = ConversationEndToEndTests.FutureStay();
        var booking = await host.Services.GetRequiredService<IPmsClient>().CreateReservationAsync(new NewReservation
        {
            IdempotencyKey = "seed-owner",
            GuestName = "Ana Gómez",
            Contact = owner.Address,
            Channel = Channel.Email,
            RoomType = "doble",
            CheckIn = stay.CheckIn,
            CheckOut = stay.CheckOut,
            Guests = 2,
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);

        // A forged From (the booking's address) with replies to the intruder, then the intruder's own address.
        (string From, string? ReplyTo, string Body)[] emails =
        [
            (owner.Address, intruder.Address, $"Quiero cancelar mi reserva {booking.Reference}"),
            (owner.Address, intruder.Address, "sí"),
            (intruder.Address, null, "quiero ver mi reserva"),
            (intruder.Address, null, "quiero cancelar mi reserva"),
        ];
        for (var i = 0; i < emails.Length; i++)
        {
            await mail.DeliverAsync(hotel, Email(emails[i].From, emails[i].ReplyTo, $"<probe-{i}@guest.test>", emails[i].Body));
            using var poll = await client.PostAsync("/api/webhooks/email", null);
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
            Assert.True((await mail.WaitForMailAsync(intruder, i + 1)).Count >= i + 1, "the intruder's address got no answer");
        }

        var heard = string.Join("\n---\n", (await mail.ReadAsync(intruder)).Select(m => m.Message.TextBody));
        Assert.DoesNotContain("Ana", heard, StringComparison.Ordinal);
        Assert.DoesNotContain(booking.Reference, heard, StringComparison.Ordinal);
        Assert.DoesNotContain(stay.CheckIn.ToString("d/M", System.Globalization.CultureInfo.InvariantCulture), heard, StringComparison.Ordinal);

        // The one verification code went to the booking's own mailbox, not where the forged email asked.
        var toOwner = Assert.Single(await mail.WaitForMailAsync(owner));
        Assert.Contains("código de verificación", toOwner.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(booking.Reference, toOwner.Message.TextBody, StringComparison.Ordinal);

        var reservations = await client.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        Assert.Equal("confirmed", Assert.Single(reservations, r => r.GetProperty("reference").GetString() == booking.Reference).GetProperty("status").GetString());
    }

    private static string Email(string from, string? replyTo, string messageId, string body) =>
        $"From: {from}\r\n"
        + (replyTo is null ? string.Empty : $"Reply-To: {replyTo}\r\n")
        + "To: reservas@hotel.test\r\nSubject: Mi reserva\r\n"
        + $"Message-ID: {messageId}\r\nDate: Sat, 21 Nov 2026 10:00:00 -0300\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + body + "\r\n";
}
