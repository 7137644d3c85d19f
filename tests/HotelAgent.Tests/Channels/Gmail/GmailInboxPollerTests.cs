using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Channels.Gmail;

public class GmailInboxPollerTests
{
    private static string Mail(string from, string body, string extraHeaders = "") =>
        $"From: {from}\r\nTo: reservas@hotelpalermosoho.com\r\nSubject: hola\r\nMessage-ID: <{Guid.NewGuid():N}@example.com>\r\n{extraHeaders}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    private static void AssertUntouched(GmailTestHarness h, string id)
    {
        Assert.Contains("UNREAD", h.Fake.GetMessage(id).LabelIds);
        Assert.DoesNotContain(h.Fake.ModifyCalls, c => c.MessageId == id);
    }

    [Fact]
    public async Task Sink_failure_leaves_the_message_unread_and_the_next_tick_retries()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var id = h.Fake.AddInboxMessage(Mail("guest@example.com", "¿Tienen cuna?"));
        h.Sink.FailWith = new InvalidOperationException("orchestrator down");

        var failed = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(1, 0, 0, 1, null), failed);
        AssertUntouched(h, id);

        h.Sink.FailWith = null;
        var retried = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(1, 1, 0, 0, null), retried);
        Assert.DoesNotContain("UNREAD", h.Fake.GetMessage(id).LabelIds);
    }

    [Fact]
    public async Task Revoked_refresh_token_is_an_auth_error_and_nothing_is_marked()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var id = h.Fake.AddInboxMessage(Mail("guest@example.com", "Hola"));
        h.Fake.RefreshToken = "rotated-elsewhere"; // ours is now invalid_grant

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(GmailErrorKind.Auth, result.ErrorKind);
        Assert.Contains("invalid_grant", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.Accepted);
        Assert.Empty(h.Sink.Received);
        AssertUntouched(h, id);
    }

    [Fact]
    public async Task Persistent_401_from_the_api_is_an_auth_error_after_one_refresh()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var id = h.Fake.AddInboxMessage(Mail("guest@example.com", "Hola"));
        h.Fake.FailNext(401, times: 2, pathContains: "/labels");

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(GmailErrorKind.Auth, result.ErrorKind);
        Assert.Equal("auth: authError (HTTP 401)", result.Error);
        Assert.Equal(2, h.Fake.TokenRequests); // first token, then one fresh token for the retry
        AssertUntouched(h, id);
    }

    [Fact]
    public async Task Expired_access_token_is_refreshed_transparently()
    {
        await using var h = await GmailTestHarness.StartAsync();
        h.Fake.AddInboxMessage(Mail("guest@example.com", "uno"));
        await h.Poller.PollOnceAsync(CancellationToken.None);
        await h.Poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, h.Fake.TokenRequests); // cached between ticks

        h.Fake.RevokeAccessTokens();
        h.Fake.AddInboxMessage(Mail("guest@example.com", "dos"));
        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        Assert.Equal(2, h.Fake.TokenRequests);

        h.Time.Advance(TimeSpan.FromMinutes(56)); // within 5 minutes of expires_in=3599: refreshed proactively
        await h.Poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(3, h.Fake.TokenRequests);
    }

    [Theory]
    [InlineData(429, null, GmailErrorKind.Quota, "quota: rateLimitExceeded (HTTP 429)")]
    [InlineData(403, "rateLimitExceeded", GmailErrorKind.Quota, "quota: rateLimitExceeded (HTTP 403)")]
    public async Task Quota_errors_stop_the_batch_and_leave_messages_unread(int status, string? reason, GmailErrorKind kind, string error)
    {
        await using var h = await GmailTestHarness.StartAsync();
        var first = h.Fake.AddInboxMessage(Mail("a@example.com", "uno"));
        var second = h.Fake.AddInboxMessage(Mail("b@example.com", "dos"));
        h.Fake.FailNext(status, pathContains: "/messages/", reason: reason);

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(kind, result.ErrorKind);
        Assert.Equal(error, result.Error);
        Assert.Equal(1, result.Failed);
        Assert.Equal(0, result.Fetched); // the batch stopped: the second message was not even fetched
        Assert.Empty(h.Sink.Received);
        AssertUntouched(h, first);
        AssertUntouched(h, second);
    }

    [Fact]
    public async Task Server_error_on_list_is_transient()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var id = h.Fake.AddInboxMessage(Mail("guest@example.com", "Hola"));
        h.Fake.FailNext(500, pathContains: "/messages");

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(0, 0, 0, 0, "transient: backendError (HTTP 500)") { ErrorKind = GmailErrorKind.Transient }, result);
        AssertUntouched(h, id);
    }

    [Fact]
    public async Task Server_error_on_one_message_does_not_stop_the_batch()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var broken = h.Fake.AddInboxMessage(Mail("a@example.com", "uno"));
        var fine = h.Fake.AddInboxMessage(Mail("b@example.com", "dos"));
        h.Fake.FailNext(500, pathContains: "/messages/" + broken);

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(1, 1, 0, 1, null), result);
        Assert.Equal("b@example.com", Assert.Single(h.Sink.Received).GuestId);
        AssertUntouched(h, broken);
        Assert.DoesNotContain("UNREAD", h.Fake.GetMessage(fine).LabelIds);
    }

    [Fact]
    public async Task Unreachable_api_is_a_transient_error()
    {
        var fake = await FakeGmailApi.StartAsync();
        await using var h = await GmailTestHarness.StartAsync(s => s["Gmail:ApiBaseUrl"] = "http://127.0.0.1:1", fake);

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(GmailErrorKind.Transient, result.ErrorKind);
        Assert.StartsWith("transient: network error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Own_messages_auto_replies_bounces_and_bulk_are_skipped_labelled_and_left_unread()
    {
        // Without "-from:me" in the query our own mail reaches the poller, which must still skip it.
        await using var h = await GmailTestHarness.StartAsync(s => s["Gmail:Query"] = "is:unread in:inbox");
        var ids = new[]
        {
            h.Fake.AddInboxMessage(Mail("Hotel <RESERVAS@hotelpalermosoho.com>", "nuestra respuesta")),
            h.Fake.AddInboxMessage(Mail("guest@example.com", "Estoy de vacaciones", "Auto-Submitted: auto-replied\r\n")),
            h.Fake.AddInboxMessage(Mail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Address not found")),
            h.Fake.AddInboxMessage(Mail("news@promo.example.com", "Ofertas", "Precedence: bulk\r\n")),
            h.Fake.AddInboxMessage(Mail("list@example.org", "digest", "List-Id: <travel.example.org>\r\n")),
        };
        var guest = h.Fake.AddInboxMessage(Mail("guest@example.com", "Quiero reservar", "Auto-Submitted: no\r\n"));

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(6, 1, 5, 0, null), result);
        Assert.Equal(guest, Assert.Single(h.Sink.Received).ProviderMessageId);
        var label = Assert.Single(h.Fake.Labels, l => l.Name == "HotelAgent/Processed").Id;
        foreach (var id in ids)
        {
            Assert.Contains("UNREAD", h.Fake.GetMessage(id).LabelIds);
            Assert.Contains(label, h.Fake.GetMessage(id).LabelIds);
        }

        Assert.Equal(new GmailPollResult(0, 0, 0, 0, null), await h.Poller.PollOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Existing_processed_label_is_reused_and_max_messages_is_respected()
    {
        await using var h = await GmailTestHarness.StartAsync(s => s["Gmail:MaxMessagesPerPoll"] = "2");
        for (var i = 0; i < 3; i++)
        {
            h.Fake.AddInboxMessage(Mail($"g{i}@example.com", "hola"));
        }

        Assert.Equal(2, (await h.Poller.PollOnceAsync(CancellationToken.None)).Accepted);
        Assert.Equal(1, (await h.Poller.PollOnceAsync(CancellationToken.None)).Accepted);
        Assert.Single(h.Fake.Labels, l => l.Type == "user");
        Assert.Single(h.Fake.Requests, r => r == "POST /gmail/v1/users/me/labels");
    }

    [Fact]
    public async Task Contact_form_mail_from_noreply_answers_the_reply_to_guest()
    {
        await using var h = await GmailTestHarness.StartAsync();
        h.Fake.AddInboxMessage(Mail("Formulario web <noreply@hotelpalermosoho.com>", "Nombre: Ana\r\nConsulta: ¿tienen traslado?", "Reply-To: Ana Ruiz <Ana.Ruiz@example.com>\r\n"));

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        var inbound = Assert.Single(h.Sink.Received);
        Assert.Equal("ana.ruiz@example.com", inbound.GuestId);
        Assert.Equal("Ana Ruiz", inbound.DisplayName);
    }

    [Fact]
    public async Task Messages_reach_the_sink_oldest_first()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var t0 = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        h.Fake.AddInboxMessage(Mail("guest@example.com", "primero"), t0);
        h.Fake.AddInboxMessage(Mail("guest@example.com", "segundo"), t0.AddMinutes(1));
        h.Fake.AddInboxMessage(Mail("guest@example.com", "tercero"), t0.AddMinutes(2));

        await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(["primero", "segundo", "tercero"], h.Sink.Received.Select(m => m.Text));
    }
}
