using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// SIGKILL of the standalone host (a child process) after the inbound gate accepted a guest email and before IMAP
/// flagged it <c>\Seen</c>. A proxy in front of Dovecot stalls the poller's <c>UID STORE … +FLAGS (\Seen)</c> and tells
/// the test the moment it was sent; the test kills the host while it waits there (the flag never reaches Dovecot),
/// restarts it on the same data directory and polls again: the email comes back unseen, the gate calls it a duplicate,
/// it is flagged, and the guest has exactly one reply, read back over IMAP.
/// </summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailKillNineReliabilityTests(MailServerFixture mail)
{
    [Theory]
    [InlineData(false)] // killed before the reply could leave (a second proxy holds SMTP connections): the restart sends it
    [InlineData(true)] // killed after the reply was sent and filed in Sent: the restart sends nothing more
    public async Task Host_killed_between_accepting_an_email_and_flagging_it_seen_answers_it_exactly_once(bool replySentBeforeKill)
    {
        Assert.True(File.Exists(ChildHost.AssemblyPath), "missing " + ChildHost.AssemblyPath);
        var hotel = mail.CreateMailbox();
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await using var imap = StallingMailProxy.Start(mail.ImapPort);
        await using var smtp = StallingMailProxy.Start(mail.SmtpPort);
        var settings = mail.EmailSettings(hotel);
        settings["Email:Imap:Port"] = imap.Port.ToString(CultureInfo.InvariantCulture);
        settings["Email:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        settings["Email:TimeoutSeconds"] = "600"; // the stalled STORE must outlast a slow machine, not time out
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-email-kill9-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        await using var graph = await FakeGraphApi.StartAsync();
        using var host = new ChildHost(dataDirectory, graph, settings);
        try
        {
            await host.StartAsync();
            var messageId = $"kill9-{Guid.NewGuid():N}@mail.guest.test";
            await mail.DeliverAsync(hotel,
                $"From: =?UTF-8?Q?Luc=C3=ADa_G=C3=B3mez?= <{guest.Address}>\r\nTo: {hotel.Address}\r\nSubject: Consulta\r\nMessage-ID: <{messageId}>\r\n"
                + "Date: Sat, 21 Nov 2026 10:00:00 -0300\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHola! ¿Tienen pileta?\r\n");

            var storeSent = imap.StallNext(StallingMailProxy.ImapMarkSeen());
            if (!replySentBeforeKill)
            {
                smtp.HoldConnections();
            }

            using var pollClient = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            pollClient.DefaultRequestHeaders.Authorization = new("Bearer", ChildHost.StaffKey);
            var firstPoll = pollClient.PostAsync("api/webhooks/email", null);

            // The positive signal: the poller handed the email on and is now flagging it (it flags only after acceptance).
            var store = await storeSent.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("+FLAGS", store, StringComparison.OrdinalIgnoreCase);
            if (replySentBeforeKill)
            {
                Assert.Single(await mail.WaitForMailAsync(guest, timeout: TimeSpan.FromSeconds(90)));
                await WaitForSentCopyAsync(hotel); // the sender recorded the send before filing the copy
            }

            host.Kill();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => firstPoll); // the host died inside the poll
            Assert.False(Assert.Single(await mail.ReadAsync(hotel)).Seen, "the flag reached Dovecot: the kill missed the window");
            Assert.Equal(replySentBeforeKill ? 1 : 0, RepliesTo(guest));

            smtp.ReleaseConnections();
            await host.StartAsync();
            using var staff = StaffApi.Client(host.BaseAddress, ChildHost.StaffKey);
            var second = await PollAsync(staff);
            Assert.Equal(1, second.GetProperty("fetched").GetInt32());
            Assert.Equal(0, second.GetProperty("accepted").GetInt32());
            Assert.Equal(1, second.GetProperty("duplicates").GetInt32());

            // The conversation's turn is over (its replies sent) and the gate raised nothing new: one reply, threaded.
            await StaffApi.WaitForHandledAsync(staff, EmailGuest.ConversationIdOf(guest.Address), 1);
            var reply = Assert.Single(await mail.WaitForMailAsync(guest, timeout: TimeSpan.FromSeconds(90))).Message;
            Assert.Equal(1, RepliesTo(guest));
            Assert.Equal(messageId, reply.InReplyTo);
            Assert.Contains("pileta", reply.TextBody, StringComparison.OrdinalIgnoreCase);
            Assert.True(Assert.Single(await mail.ReadAsync(hotel)).Seen);
            Assert.Equal(0, (await PollAsync(staff)).GetProperty("fetched").GetInt32());
        }
        finally
        {
            host.Kill();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private int RepliesTo(TestMailbox guest) => mail.Deliveries.Count(d => d.Recipients.Contains(guest.Address));

    private static async Task<JsonElement> PollAsync(HttpClient staff)
    {
        using var response = await staff.PostAsync("api/webhooks/email", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task WaitForSentCopyAsync(TestMailbox hotel)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await mail.ReadAsync(hotel, "Sent")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reply was never filed in Sent");
            await Task.Delay(100);
        }
    }
}
