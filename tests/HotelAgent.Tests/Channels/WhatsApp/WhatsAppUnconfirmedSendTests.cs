using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Channels.Common;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Channels.WhatsApp;

/// <summary>
/// Sends whose answer was lost (the process died between Meta's answer and the record): every send carries its key as
/// <c>biz_opaque_callback_data</c>, and a retry that finds another process's unconfirmed attempt waits for Meta's status
/// webhook before sending again.
/// </summary>
public class WhatsAppUnconfirmedSendTests
{
    private const string Guest = "+5491155551234";

    private static OutboundMessage Out(string key, string text = "¿Me pasás un email para la reserva?") =>
        new(Channel.WhatsApp, Guest, new Reply(text), key);

    private static Dictionary<string, string?> Wait(int seconds) => new() { ["WhatsApp:UnconfirmedSendWaitSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task Outgoing_sends_carry_the_idempotency_key_as_biz_opaque_callback_data()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);

        await host.Client.SendAsync(Out("wamid.IN1:0"), CancellationToken.None);
        await host.Client.SendVoiceNoteAsync(Channel.WhatsApp, Guest, [0x4F, 0x67, 0x67, 0x53], "wamid.IN1:voice", CancellationToken.None);
        await host.Window.RecordInboundAsync("+5491155550000", DateTimeOffset.UtcNow.AddHours(-25));
        await host.Client.SendAsync(new OutboundMessage(Channel.WhatsApp, "+5491155550000", new Reply("Hola"), "wamid.IN2:0"), CancellationToken.None);

        var sent = host.Graph.SentMessages;
        Assert.Equal(["text", "audio", "template"], sent.Select(m => m.Type));
        Assert.Equal(["wamid.IN1:0", "wamid.IN1:voice", "wamid.IN2:0"], sent.Select(m => m.CallbackData));
    }

    [Fact]
    public async Task A_foreign_attempt_confirmed_by_a_status_webhook_during_the_wait_is_not_sent_again()
    {
        await using var host = await WhatsAppTestHost.StartAsync(Wait(60));
        await host.OpenWindowAsync(Guest);
        var database = host.Services.GetRequiredService<ChannelsDatabase>();
        await SentMessageStoreTests.InsertForeignAttemptAsync(database, "wamid.IN3:1", DateTimeOffset.UtcNow.AddSeconds(-1));

        var send = host.Client.SendAsync(Out("wamid.IN3:1"), CancellationToken.None);
        await WaitForLogAsync(host, "waiting up to");
        Assert.False(send.IsCompleted);
        var status = WhatsAppWebhookSamples.Status("wamid.EARLIER", "sent", "5491155551234", callbackData: "wamid.IN3:1");
        await host.Services.GetRequiredService<WhatsAppInboundProcessor>().ProcessAsync(WhatsAppWebhookParser.Parse(status), CancellationToken.None);
        await send;

        Assert.Empty(host.Graph.SentMessages);
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("confirmed by a status webhook", StringComparison.Ordinal));
        Assert.True(await host.Services.GetRequiredService<SqliteSentMessageStore>().WasSentAsync(Channel.WhatsApp, "wamid.IN3:1"));
    }

    [Fact]
    public async Task A_foreign_attempt_never_confirmed_is_sent_exactly_once_after_the_wait()
    {
        await using var host = await WhatsAppTestHost.StartAsync(Wait(1));
        await host.OpenWindowAsync(Guest);
        var database = host.Services.GetRequiredService<ChannelsDatabase>();
        await SentMessageStoreTests.InsertForeignAttemptAsync(database, "wamid.IN4:1", DateTimeOffset.UtcNow.AddSeconds(-1));

        await host.Client.SendAsync(Out("wamid.IN4:1"), CancellationToken.None);
        await host.Client.SendAsync(Out("wamid.IN4:1"), CancellationToken.None);

        var sent = Assert.Single(host.Graph.SentMessages);
        Assert.Equal("wamid.IN4:1", sent.CallbackData);
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("still unconfirmed", StringComparison.Ordinal));
        Assert.True(await host.Services.GetRequiredService<SqliteSentMessageStore>().WasSentAsync(Channel.WhatsApp, "wamid.IN4:1"));
    }

    [Fact]
    public async Task Keys_confirmed_by_a_status_webhook_are_never_sent()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        await host.OpenWindowAsync(Guest);
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        foreach (var (key, state) in new[] { ("wamid.IN5:0", "sent"), ("wamid.IN5:1", "delivered"), ("wamid.IN5:voice", "read") })
        {
            var status = WhatsAppWebhookSamples.Status("wamid.OUT-" + state, state, "5491155551234", callbackData: key);
            await processor.ProcessAsync(WhatsAppWebhookParser.Parse(status), CancellationToken.None);
        }

        await host.Client.SendAsync(Out("wamid.IN5:0"), CancellationToken.None);
        await host.Client.SendAsync(Out("wamid.IN5:1"), CancellationToken.None);
        await host.Client.SendVoiceNoteAsync(Channel.WhatsApp, Guest, [1, 2, 3], "wamid.IN5:voice", CancellationToken.None);

        Assert.Empty(host.Graph.SentMessages);
        Assert.Empty(host.Graph.UploadedMedia);
    }

    [Fact]
    public async Task A_retry_of_this_process_after_a_failed_post_sends_without_waiting()
    {
        await using var host = await WhatsAppTestHost.StartAsync(Wait(300));
        await host.OpenWindowAsync(Guest);
        host.Graph.FailNextSends(1, 100);

        await Assert.ThrowsAsync<WhatsAppApiException>(() => host.Client.SendAsync(Out("wamid.IN6:0"), CancellationToken.None));
        var attempt = await host.Services.GetRequiredService<SqliteSentMessageStore>().GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN6:0");
        Assert.True(attempt?.ByThisProcess);
        await host.Client.SendAsync(Out("wamid.IN6:0"), CancellationToken.None);

        Assert.Equal("wamid.IN6:0", Assert.Single(host.Graph.SentMessages).CallbackData);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("waiting up to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_zero_wait_a_foreign_attempt_is_sent_at_once()
    {
        await using var host = await WhatsAppTestHost.StartAsync(Wait(0));
        await host.OpenWindowAsync(Guest);
        await SentMessageStoreTests.InsertForeignAttemptAsync(host.Services.GetRequiredService<ChannelsDatabase>(), "wamid.IN7:0", DateTimeOffset.UtcNow);

        await host.Client.SendAsync(Out("wamid.IN7:0"), CancellationToken.None);

        Assert.Single(host.Graph.SentMessages);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("waiting up to", StringComparison.Ordinal));
    }

    private static async Task WaitForLogAsync(WhatsAppTestHost host, string fragment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!host.Logs.Entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("log line '" + fragment + "' never appeared");
            }

            await Task.Delay(10);
        }
    }
}
