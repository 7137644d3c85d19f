using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Channels.Email;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// A guest email through the whole standalone host and real mail servers: it lands in the hotel's Dovecot inbox,
/// <c>POST /api/webhooks/email</c> polls, the receptionist answers over SMTP, and the answer is read back from the
/// guest's mailbox.
/// </summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailEndToEndTests(MailServerFixture mail)
{
    [Fact]
    public async Task Spanish_guest_email_gets_one_threaded_spanish_answer_and_the_original_is_seen()
    {
        var hotel = mail.CreateMailbox();
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        foreach (var (key, value) in mail.EmailSettings(hotel))
        {
            settings[key] = value;
        }

        await using var host = await StandaloneHost.StartAsync(settings);
        var raw = EmailPollerTests.SpanishGuestEmail.Replace("Lucia.Gomez@Guest.Test", guest.Address, StringComparison.Ordinal)
            .Replace("¿Tienen habitación doble del 12 al 14 de diciembre? Somos 2.", "¿tienen pileta?", StringComparison.Ordinal)
            .Replace("Hola! =BFTienen habitaci=F3n doble del 12 al 14 de diciembre? Somos 2.", "Hola! =BFtienen pileta? Gracias.", StringComparison.Ordinal);
        await mail.DeliverAsync(hotel, Encoding.Latin1.GetBytes(raw.ReplaceLineEndings("\r\n")));

        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/webhooks/email", null)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        var first = await client.PostAsync("/api/webhooks/email", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        // The turn is over when the guest's conversation counts the email handled (set after its last reply was sent).
        var conversation = new ConversationProbe(host, ConversationIds.For(Channel.Email, guest.Address.ToLowerInvariant()));
        await conversation.WaitForHandledAsync(1, () => "(email)");
        var answer = Assert.Single(await mail.WaitForMailAsync(guest)).Message;
        Assert.Equal("Re: Consulta habitación doble", answer.Subject);
        Assert.Equal("CAJx9k2Qguest@mail.gmail.com", answer.InReplyTo);
        Assert.Equal(["CAold111@mail.gmail.com", "CAJx9k2Qguest@mail.gmail.com"], answer.References);
        Assert.Equal(hotel.Address, answer.From.Mailboxes.Single().Address);
        Assert.Contains("pileta", answer.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(answer.HtmlBody);
        Assert.True(Assert.Single(await mail.ReadAsync(hotel)).Seen);
        Assert.Single(await mail.ReadAsync(hotel, "Sent"));

        // The second poll finds nothing to hand on: the conversation handled one email, and the guest has one answer.
        var second = await (await client.PostAsync("/api/webhooks/email", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, second.GetProperty("fetched").GetInt32());
        Assert.Equal(1, await conversation.HandledAsync());
        Assert.Single(await mail.ReadAsync(guest));
    }
}
