using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Conversation;

/// <summary>A guest email through the whole standalone host: Gmail poll on demand → conversation → threaded reply.</summary>
public sealed class EmailEndToEndTests
{
    [Fact]
    public async Task Guest_email_in_iso_8859_1_gets_a_threaded_spanish_reply_and_is_marked_processed()
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
        var id = gmail.AddInboxMessage(Encoding.Latin1.GetBytes(
            "From: Lucía Fernández <lucia.fernandez@example.com>\r\n"
            + $"To: {gmail.UserEmail}\r\n"
            + "Subject: Consulta\r\n"
            + "Message-ID: <consulta-1@example.com>\r\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 -0300\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Hola, ¿tienen pileta? Gracias.\r\n"));

        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/gmail");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/webhooks/gmail", null)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (gmail.SentMessages.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var reply = Assert.Single(gmail.SentMessages);
        Assert.Equal(gmail.GetMessage(id).ThreadId, reply.RequestedThreadId);
        Assert.Contains("<consulta-1@example.com>", reply.RawText, StringComparison.Ordinal);
        var parsed = reply.Parsed;
        Assert.Equal("Re: Consulta", parsed.Subject);
        Assert.Contains("pileta", parsed.BodyText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("<consulta-1@example.com>", parsed.InReplyTo);
        Assert.DoesNotContain("UNREAD", gmail.GetMessage(id).LabelIds);

        // A second poll finds nothing new: no second reply.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/webhooks/gmail", null)).StatusCode);
        await Task.Delay(500);
        Assert.Single(gmail.SentMessages);
    }
}
