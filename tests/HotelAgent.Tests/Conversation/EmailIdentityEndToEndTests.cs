using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// Email identities through the whole standalone host (Gmail poll → conversation → reply): a From header is not proof. An
/// email whose replies go to another address sees and cancels nothing; the only code goes to the booking's own address.
/// </summary>
public sealed class EmailIdentityEndToEndTests
{
    [Fact]
    public async Task An_email_that_answers_to_an_address_that_did_not_book_can_neither_read_nor_cancel()
    {
        await using var gmail = await FakeGmailApi.StartAsync();
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        settings["Gmail:Enabled"] = "true";
        settings["Gmail:UserEmail"] = gmail.UserEmail;
        settings["Gmail:ClientId"] = gmail.ClientId;
        settings["Gmail:ClientSecret"] = gmail.ClientSecret;
        settings["Gmail:RefreshToken"] = gmail.RefreshToken;
        settings["Gmail:ApiBaseUrl"] = gmail.BaseUrl;
        settings["Gmail:TokenEndpoint"] = gmail.TokenEndpoint;
        settings["Gmail:PollSchedule"] = "0 0 0 1 1 *";
        await using var host = await StandaloneHost.StartAsync(settings);
        var stay = ConversationEndToEndTests.FutureStay();
        var booking = await host.Services.GetRequiredService<IPmsClient>().CreateReservationAsync(new NewReservation
        {
            IdempotencyKey = "seed-ana",
            GuestName = "Ana Gómez",
            Contact = "ana@example.com",
            Channel = Channel.Email,
            RoomType = "doble",
            CheckIn = stay.CheckIn,
            CheckOut = stay.CheckOut,
            Guests = 2,
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);

        // Forged From (the booking's address) with replies to the intruder; then the intruder's own address.
        string[] forged =
        [
            Email("ana@example.com", "intruso@evil.example", "<m1@evil.example>", $"Quiero cancelar mi reserva {booking.Reference}"),
            Email("ana@example.com", "intruso@evil.example", "<m2@evil.example>", "sí"),
            Email("intruso@evil.example", null, "<m3@evil.example>", "quiero ver mi reserva"),
        ];
        foreach (var (raw, n) in forged.Select((r, i) => (r, i + 1)))
        {
            gmail.AddInboxMessage(Encoding.UTF8.GetBytes(raw));
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/webhooks/gmail", null)).StatusCode);
            await WaitAsync(() => gmail.SentMessages.Count(m => To(m).Contains("intruso@evil.example", StringComparison.Ordinal)) >= n);
        }

        var toIntruder = string.Join("\n---\n", gmail.SentMessages.Where(m => To(m).Contains("intruso", StringComparison.Ordinal)).Select(m => m.Parsed.BodyText));
        Assert.DoesNotContain("Ana", toIntruder, StringComparison.Ordinal);
        Assert.DoesNotContain(booking.Reference, toIntruder, StringComparison.Ordinal);
        Assert.DoesNotContain(stay.CheckIn.ToString("dd/MM", System.Globalization.CultureInfo.InvariantCulture), toIntruder, StringComparison.Ordinal);

        // The one verification code went to the booking's own address, not to where the forged email asked.
        var code = Assert.Single(gmail.SentMessages, m => m.Parsed.BodyText.Contains("código de verificación", StringComparison.Ordinal) && m.Parsed.BodyText.Contains(booking.Reference, StringComparison.Ordinal));
        Assert.Contains("ana@example.com", To(code), StringComparison.Ordinal);

        var reservations = await client.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        Assert.Equal("confirmed", Assert.Single(reservations, r => r.GetProperty("reference").GetString() == booking.Reference).GetProperty("status").GetString());
    }

    private static string Email(string from, string? replyTo, string messageId, string body) =>
        $"From: {from}\r\n"
        + (replyTo is null ? string.Empty : $"Reply-To: {replyTo}\r\n")
        + "To: reservas@hotelpalermosoho.com\r\nSubject: Mi reserva\r\n"
        + $"Message-ID: {messageId}\r\nDate: Sat, 21 Nov 2026 10:00:00 -0300\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + body + "\r\n";

    private static string To(FakeGmailMessage message) => message.Parsed.GetHeader("To") ?? string.Empty;

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "No reply arrived.");
            await Task.Delay(50);
        }
    }
}
