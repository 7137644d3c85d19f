using System.Text.Json;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppCloudClientTests
{
    private const string Guest = "+5491155551234";

    private static OutboundMessage Out(Reply reply, string key = "key-1") => new(Channel.WhatsApp, Guest, reply, key);

    [Fact]
    public async Task Text_reply_has_the_cloud_api_shape()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);

        await host.Client.SendAsync(Out(new Reply("¡Hola Lucía! Bienvenida al Hotel Palermo Soho.")), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("Bearer " + WhatsAppTestHost.AccessToken, sent.Authorization);
        Assert.Equal(WhatsAppTestHost.PhoneNumberId, sent.PhoneNumberId);
        Assert.Equal("whatsapp", sent.Body.GetProperty("messaging_product").GetString());
        Assert.Equal("individual", sent.Body.GetProperty("recipient_type").GetString());
        Assert.Equal("5491155551234", sent.To);
        Assert.Equal("text", sent.Type);
        Assert.False(sent.Body.GetProperty("text").GetProperty("preview_url").GetBoolean());
        Assert.Equal("¡Hola Lucía! Bienvenida al Hotel Palermo Soho.", sent.Text);
        var request = Assert.Single(host.Graph.Requests);
        Assert.Equal("/v23.0/" + WhatsAppTestHost.PhoneNumberId + "/messages", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_to_three_options_become_reply_buttons_with_safe_titles()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        var reply = new Reply("¿Confirmo la reserva?")
        {
            Options =
            [
                new ReplyOption("confirm", "Sí, confirmar la reserva ahora mismo"),
                new ReplyOption("change", "Cambiar fechas"),
                new ReplyOption("cancel", "Sí, confirmar la reserva también"),
            ],
        };

        await host.Client.SendAsync(Out(reply), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("interactive", sent.Type);
        var interactive = sent.Body.GetProperty("interactive");
        Assert.Equal("button", interactive.GetProperty("type").GetString());
        Assert.Equal("¿Confirmo la reserva?", interactive.GetProperty("body").GetProperty("text").GetString());
        var buttons = interactive.GetProperty("action").GetProperty("buttons").EnumerateArray().ToList();
        Assert.Equal(["confirm", "change", "cancel"], buttons.Select(b => b.GetProperty("reply").GetProperty("id").GetString()));
        Assert.All(buttons, b => Assert.Equal("reply", b.GetProperty("type").GetString()));
        var titles = buttons.Select(b => b.GetProperty("reply").GetProperty("title").GetString()!).ToList();
        Assert.All(titles, t => Assert.InRange(t.Length, 1, 20));
        Assert.Equal(3, titles.Distinct(StringComparer.Ordinal).Count());
        Assert.EndsWith("…", titles[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Four_to_ten_options_become_a_list()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        var options = Enumerable.Range(1, 12)
            .Select(i => new ReplyOption($"room-{i}", $"Habitación Superior Deluxe número {i}", new string('x', 100)))
            .ToList();
        var reply = new Reply("Estas son las habitaciones disponibles:") { Options = options, OptionsTitle = "Ver habitaciones disponibles" };

        await host.Client.SendAsync(Out(reply), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        var interactive = sent.Body.GetProperty("interactive");
        Assert.Equal("list", interactive.GetProperty("type").GetString());
        var action = interactive.GetProperty("action");
        Assert.InRange(action.GetProperty("button").GetString()!.Length, 1, 20);
        var rows = action.GetProperty("sections")[0].GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(10, rows.Count);
        Assert.Equal("room-1", rows[0].GetProperty("id").GetString());
        Assert.All(rows, r =>
        {
            Assert.InRange(r.GetProperty("title").GetString()!.Length, 1, 24);
            Assert.InRange(r.GetProperty("description").GetString()!.Length, 1, 72);
        });
    }

    [Fact]
    public async Task Template_send_has_name_language_and_parameters()
    {
        await using var host = await WhatsAppTestHost.StartAsync();

        var wamid = await host.Client.SendTemplateAsync(Guest, "booking_reminder", "es_AR", ["Lucía", "24/11"]);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal(sent.WamId, wamid);
        Assert.Equal("template", sent.Type);
        var template = sent.Body.GetProperty("template");
        Assert.Equal("booking_reminder", template.GetProperty("name").GetString());
        Assert.Equal("es_AR", template.GetProperty("language").GetProperty("code").GetString());
        var component = template.GetProperty("components")[0];
        Assert.Equal("body", component.GetProperty("type").GetString());
        Assert.Equal(["Lucía", "24/11"], component.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Outside_the_window_the_reengagement_template_goes_instead()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["WhatsApp:ReengagementTemplateName"] = "volver_a_conversar",
            ["WhatsApp:ReengagementTemplateLanguage"] = "es_AR",
        });
        await host.Window.RecordInboundAsync(Guest, DateTimeOffset.UtcNow.AddHours(-25));

        await host.Client.SendAsync(Out(new Reply("Texto libre que no se puede enviar")), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("template", sent.Type);
        Assert.Equal("volver_a_conversar", sent.TemplateName);
        Assert.Equal("es_AR", sent.Body.GetProperty("template").GetProperty("language").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Graph_131047_falls_back_to_the_template()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(1, 131047);

        await host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("template", sent.Type);
        Assert.Equal(2, host.Graph.Requests.Count);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("131047", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(130429)]
    [InlineData(131056)]
    public async Task Rate_limits_are_retried_with_backoff_then_succeed(int code)
    {
        // The backoff runs on a fake clock: each retry waits on a timer, and goes only once the clock passes it.
        var time = new ObservedFakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?> { ["WhatsApp:RetryBaseDelay"] = "00:00:00.050" }, time);
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(2, code);
        var armed = time.ArmedTimers.Value;

        var send = host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await time.ArmedTimers.WaitForAsync(armed + retry, what: $"the backoff before retry {retry}");
            var backoff = time.DueTimes[^1];
            Assert.True(backoff > TimeSpan.Zero && backoff <= TimeSpan.FromSeconds(60), $"backoff {backoff}");
            Assert.Equal(retry, host.Graph.Requests.Count); // the retry is waiting for the clock
            Assert.False(send.IsCompleted);
            time.Advance(backoff);
        }

        await send;
        Assert.Single(host.Graph.SentMessages);
        Assert.Equal(3, host.Graph.Requests.Count);
        Assert.Equal(armed + 2, time.ArmedTimers.Value);
        Assert.Equal(2, host.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rate_limit_retries_are_bounded()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?> { ["WhatsApp:MaxRetryAttempts"] = "2" });
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(10, 130429);

        var ex = await Assert.ThrowsAsync<WhatsAppApiException>(() => host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None));

        Assert.Equal(130429, ex.Code);
        Assert.Equal(3, host.Graph.Requests.Count);
        Assert.Empty(host.Graph.SentMessages);
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextRequests(1, 0, 503);

        await host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None);

        Assert.Single(host.Graph.SentMessages);
        Assert.Equal(2, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task Invalid_token_raises_auth_exception_and_a_critical_log_without_the_token()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(1, 190);

        var ex = await Assert.ThrowsAsync<WhatsAppAuthException>(() => host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None));

        Assert.Equal(190, ex.Code);
        Assert.Single(host.Graph.Requests); // not retried
        var critical = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("WhatsApp access token rejected; update WhatsApp__AccessToken", critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains(WhatsAppTestHost.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http_401_without_graph_body_is_also_an_auth_failure()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        host.Graph.ExpectedAccessToken = "a-different-token";

        await Assert.ThrowsAsync<WhatsAppAuthException>(() => host.Client.SendTemplateAsync(Guest, "t", "es"));
        Assert.Single(host.Graph.Requests);
    }

    [Fact]
    public async Task Other_client_errors_fail_without_retry()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(1, 100);

        var ex = await Assert.ThrowsAsync<WhatsAppApiException>(() => host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None));

        Assert.Equal(100, ex.Code);
        Assert.False(ex.IsTransient);
        Assert.NotNull(ex.FbTraceId);
        Assert.Single(host.Graph.Requests);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("code 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_idempotency_key_is_sent_once_even_after_a_restart()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-wa-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var host = await WhatsAppTestHost.StartAsync(graph: graph, dataDirectory: dataDirectory))
            {
                await host.OpenWindowAsync(Guest);
                await host.Client.SendAsync(Out(new Reply("Hola"), "wamid.IN1:0"), CancellationToken.None);
                await host.Client.SendAsync(Out(new Reply("Hola"), "wamid.IN1:0"), CancellationToken.None);
                await host.Client.SendAsync(Out(new Reply("Otra cosa"), "wamid.IN1:1"), CancellationToken.None);
            }

            await using (var restarted = await WhatsAppTestHost.StartAsync(graph: graph, dataDirectory: dataDirectory))
            {
                await restarted.Client.SendAsync(Out(new Reply("Hola"), "wamid.IN1:0"), CancellationToken.None);
                Assert.True(await restarted.Window.IsOpenAsync(Guest)); // the window survived the restart too
            }

            Assert.Equal(["Hola", "Otra cosa"], graph.SentMessages.Select(m => m.Text));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_sends_of_one_key_reach_the_guest_once()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Task.Run(() => host.Client.SendAsync(Out(new Reply("Hola"), "wamid.CONC:0"), CancellationToken.None))));

        Assert.Single(host.Graph.SentMessages);
    }

    [Fact]
    public async Task Failed_send_is_not_remembered_so_a_retry_sends()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(1, 100);
        await Assert.ThrowsAsync<WhatsAppApiException>(() => host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None));

        await host.Client.SendAsync(Out(new Reply("Hola")), CancellationToken.None);

        Assert.Single(host.Graph.SentMessages);
    }

    [Fact]
    public async Task Mark_as_read_has_the_status_shape()
    {
        await using var host = await WhatsAppTestHost.StartAsync();

        await host.Client.MarkAsReadAsync("wamid.IN42");

        Assert.Empty(host.Graph.SentMessages);
        var read = Assert.Single(host.Graph.ReadReceipts);
        Assert.Equal("whatsapp", read.Body.GetProperty("messaging_product").GetString());
        Assert.Equal("read", read.Body.GetProperty("status").GetString());
        Assert.Equal("wamid.IN42", read.Body.GetProperty("message_id").GetString());
        Assert.Equal("Bearer " + WhatsAppTestHost.AccessToken, read.Authorization);
    }

    [Fact]
    public async Task Voice_note_is_uploaded_then_sent_as_audio_once()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        var ogg = "OggS\0\u0002fake-opus-bytes"u8.ToArray();

        await host.Client.SendVoiceNoteAsync(Channel.WhatsApp, Guest, ogg, "voice-1", CancellationToken.None);
        await host.Client.SendVoiceNoteAsync(Channel.WhatsApp, Guest, ogg, "voice-1", CancellationToken.None);

        var upload = Assert.Single(host.Graph.UploadedMedia);
        Assert.Equal("whatsapp", upload.MessagingProduct);
        Assert.Equal("audio/ogg", upload.Type);
        Assert.Equal("audio/ogg", upload.FileContentType);
        Assert.Equal(ogg, upload.Content);
        Assert.Equal("Bearer " + WhatsAppTestHost.AccessToken, upload.Authorization);
        Assert.Contains(host.Graph.Requests, r => r.Path == $"/v23.0/{WhatsAppTestHost.PhoneNumberId}/media" && r.ContentType!.StartsWith("multipart/form-data", StringComparison.Ordinal));
        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("audio", sent.Type);
        Assert.Equal(upload.Id, sent.Body.GetProperty("audio").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Media_download_is_two_steps_with_the_bearer_token()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var audio = new byte[100_000];
        Random.Shared.NextBytes(audio);
        var mediaId = host.Graph.AddMedia(audio);

        var media = await host.Client.DownloadAsync(Channel.WhatsApp, mediaId, 1_000_000, CancellationToken.None);

        Assert.Equal(audio, media.Content);
        Assert.Equal("audio/ogg; codecs=opus", media.MimeType);
        Assert.Equal(2, host.Graph.Requests.Count);
        Assert.StartsWith($"/v23.0/{mediaId}", host.Graph.Requests[0].Path, StringComparison.Ordinal);
        Assert.Equal($"/media-download/{mediaId}", host.Graph.Requests[1].Path);
        Assert.All(host.Graph.Requests, r => Assert.Equal("Bearer " + WhatsAppTestHost.AccessToken, r.Authorization));
    }

    [Fact]
    public async Task Declared_size_over_the_limit_is_rejected_before_downloading()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var mediaId = host.Graph.AddMedia(new byte[5000]);

        var ex = await Assert.ThrowsAsync<MediaTooLargeException>(() => host.Client.DownloadAsync(Channel.WhatsApp, mediaId, 1000, CancellationToken.None));

        Assert.Equal(1000, ex.LimitBytes);
        Assert.Single(host.Graph.Requests); // only the metadata call
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_over_the_limit_is_aborted_even_when_the_declared_size_lies(bool sendContentLength)
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var mediaId = host.Graph.AddMedia(new byte[300_000], declaredSize: 10, sendContentLength: sendContentLength);

        await Assert.ThrowsAsync<MediaTooLargeException>(() => host.Client.DownloadAsync(Channel.WhatsApp, mediaId, 50_000, CancellationToken.None));
        Assert.Equal(2, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task Configured_media_limit_caps_the_callers_limit()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?> { ["WhatsApp:MaxMediaBytes"] = "2000" });
        var mediaId = host.Graph.AddMedia(new byte[3000]);

        await Assert.ThrowsAsync<MediaTooLargeException>(() => host.Client.DownloadAsync(Channel.WhatsApp, mediaId, 1_000_000, CancellationToken.None));
    }

    [Fact]
    public async Task Client_is_registered_for_every_channel_port()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var sender = Assert.Single(host.Services.GetServices<IChannelSender>());
        Assert.Equal(Channel.WhatsApp, sender.Channel);
        Assert.IsType<WhatsAppCloudClient>(host.Services.GetRequiredService<IMediaDownloader>());
        Assert.IsType<WhatsAppCloudClient>(host.Services.GetRequiredService<IVoiceNoteSender>());
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(new OutboundMessage(Channel.Email, "a@b.c", new Reply("x"), "k"), CancellationToken.None));
    }
}
