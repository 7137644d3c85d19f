using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppInboundProcessorTests
{
    private static WhatsAppWebhookBatch TextBatch(string wamid, string text = "Hola") =>
        WhatsAppWebhookParser.Parse(Payloads.Read("text.json")
            .Replace("wamid.HBgNNTQ5MTE1NTU1MTIzNBUCABIYFjNFQjBDMUE5RjA3QzQ5RjQ2MkJBAA==", wamid, StringComparison.Ordinal)
            .Replace("Hola, ¿tienen habitaciones para el sábado?", text, StringComparison.Ordinal));

    [Fact]
    public async Task Message_reaches_the_sink_opens_the_window_and_is_marked_read()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        var result = await processor.ProcessAsync(TextBatch("wamid.A1"), CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        var message = Assert.Single(host.Sink.Messages);
        Assert.Equal("wamid.A1", message.ProviderMessageId);
        Assert.Equal(message.Timestamp, await host.Window.GetLastInboundAsync("+5491155551234"));
        Assert.Equal("wamid.A1", Assert.Single(await host.Graph.WaitForReadReceiptsAsync()).Body.GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task A_slow_read_receipt_does_not_hold_up_the_webhook()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        host.Graph.ReadReceiptDelay = TimeSpan.FromSeconds(3);
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await processor.ProcessAsync(TextBatch("wamid.SLOW"), CancellationToken.None);
        var elapsed = started.Elapsed;

        Assert.Equal(1, result.Accepted);
        Assert.Empty(host.Graph.ReadReceipts); // still in flight at the Graph API
        Assert.True(elapsed < TimeSpan.FromSeconds(2.5), $"processing waited {elapsed} for the read receipt");
        Assert.Equal("wamid.SLOW", Assert.Single(await host.Graph.WaitForReadReceiptsAsync()).Body.GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task Same_wamid_delivered_five_times_concurrently_reaches_the_sink_once()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Task.Run(() => processor.ProcessAsync(TextBatch("wamid.DUP"), CancellationToken.None))));

        Assert.Single(host.Sink.Messages);
        Assert.Equal(1, results.Sum(r => r.Accepted));
        Assert.Equal(4, results.Sum(r => r.Duplicates));
    }

    [Fact]
    public async Task Redelivery_after_a_restart_is_ignored()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "hotelagent-wa-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await WhatsAppTestHost.StartAsync(graph: graph, dataDirectory: data))
            {
                await first.Services.GetRequiredService<WhatsAppInboundProcessor>().ProcessAsync(TextBatch("wamid.R1"), CancellationToken.None);
                Assert.Single(first.Sink.Messages);
            }

            await using var second = await WhatsAppTestHost.StartAsync(graph: graph, dataDirectory: data);
            var result = await second.Services.GetRequiredService<WhatsAppInboundProcessor>().ProcessAsync(TextBatch("wamid.R1"), CancellationToken.None);

            Assert.Equal(1, result.Duplicates);
            Assert.Empty(second.Sink.Messages);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Flood_gets_one_polite_notice_then_silence()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:Burst"] = "2",
            ["RateLimit:PerMinute"] = "1",
            ["WhatsApp:MarkAsRead"] = "false",
        }, timeProvider: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1763740800).AddMinutes(1)));
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        for (var i = 0; i < 5; i++)
        {
            await processor.ProcessAsync(TextBatch($"wamid.F{i}", $"mensaje {i}"), CancellationToken.None);
        }

        Assert.Equal(["mensaje 0", "mensaje 1"], host.Sink.Messages.Select(m => m.Text));
        var notice = Assert.Single(host.Graph.SentMessages);
        Assert.Equal(HotelAgent.Core.Inbound.InboundPipeline.RateLimitNotice, notice.Text);
        Assert.Empty(host.Graph.ReadReceipts);
    }

    [Fact]
    public async Task Statuses_are_recorded_never_answered()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        var result = await processor.ProcessAsync(WhatsAppWebhookParser.Parse(Payloads.Read("status_failed.json")), CancellationToken.None);

        Assert.Equal(1, result.Statuses);
        var recorded = Assert.Single(await host.Services.GetRequiredService<HotelAgent.Core.Channels.Common.SqliteDeliveryStatusStore>().GetAsync(Channel.WhatsApp, "wamid.OUT2"));
        Assert.Equal("failed", recorded.Status);
        Assert.Equal([131047], recorded.ErrorCodes);
        Assert.Empty(host.Sink.Messages);
        Assert.Empty(host.Graph.Requests);
        Assert.Contains(host.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("131047", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_carry_no_message_bodies_full_phone_numbers_or_tokens()
    {
        await using var host = await WhatsAppTestHost.StartAsync(timeProvider: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1763740800).AddMinutes(1)));
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        await processor.ProcessAsync(WhatsAppWebhookParser.Parse(Payloads.Read("text.json")), CancellationToken.None);
        await processor.ProcessAsync(WhatsAppWebhookParser.Parse(Payloads.Read("status_failed.json")), CancellationToken.None);
        await processor.ProcessAsync(WhatsAppWebhookParser.Parse(Payloads.Read("mixed_with_unknown.json")), CancellationToken.None);
        await host.Client.SendAsync(new OutboundMessage(Channel.WhatsApp, "+5491155551234", new Reply("Respuesta secreta"), "k"), CancellationToken.None);

        Assert.NotEmpty(host.Logs.Entries);
        Assert.All(host.Logs.Entries, e =>
        {
            Assert.DoesNotContain("tienen habitaciones", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("check-in", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Respuesta secreta", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("5491155551234", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(WhatsAppTestHost.AccessToken, e.Message, StringComparison.Ordinal);
        });
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("***1234", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_progression_is_recorded_per_message()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read("statuses_only.json"));

        await processor.ProcessAsync(batch, CancellationToken.None);
        await processor.ProcessAsync(batch, CancellationToken.None); // redelivery: no duplicates

        var statuses = await host.Services.GetRequiredService<HotelAgent.Core.Channels.Common.SqliteDeliveryStatusStore>().GetAsync(Channel.WhatsApp, "wamid.OUT1");
        Assert.Equal(["sent", "delivered", "read"], statuses.Select(s => s.Status));
        Assert.All(statuses, s => Assert.Empty(s.ErrorCodes));
    }

    [Fact]
    public async Task Read_receipt_failure_does_not_fail_processing()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?> { ["WhatsApp:MaxRetryAttempts"] = "0" });
        host.Graph.FailNextRequests(1, 100);
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        var result = await processor.ProcessAsync(TextBatch("wamid.RR"), CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        Assert.Single(host.Sink.Messages);
    }

    [Fact]
    public async Task Inbound_message_lets_the_reply_go_as_free_text()
    {
        await using var host = await WhatsAppTestHost.StartAsync(timeProvider: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1763740800).AddMinutes(1)));
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        await processor.ProcessAsync(TextBatch("wamid.W1"), CancellationToken.None);
        var inbound = Assert.Single(host.Sink.Messages);

        await host.Client.SendAsync(new OutboundMessage(Channel.WhatsApp, inbound.GuestId, new Reply("¡Hola!"), inbound.ProviderMessageId + ":0"), CancellationToken.None);

        Assert.Equal("text", Assert.Single(host.Graph.SentMessages).Type);
    }
}

public class WhatsAppInboundProcessorStatusConfirmationTests
{
    [Theory]
    [InlineData("sent", true)]
    [InlineData("delivered", true)]
    [InlineData("read", true)]
    [InlineData("failed", false)]
    public async Task A_signed_status_webhook_with_callback_data_confirms_the_send_unless_it_failed(string status, bool confirms)
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var store = host.Services.GetRequiredService<HotelAgent.Core.Channels.Common.SqliteSentMessageStore>();
        await store.RecordAttemptAsync(Channel.WhatsApp, "wamid.IN:3");
        var body = WhatsAppWebhookSamples.Status("wamid.OUT3", status, "5491155551234", callbackData: "wamid.IN:3");
        var signature = WhatsAppWebhookSamples.Sign(body);
        Assert.True(WhatsAppSignature.IsValid(System.Text.Encoding.UTF8.GetBytes(body), signature, "test-app-secret"));

        var result = await host.Services.GetRequiredService<WhatsAppInboundProcessor>()
            .ProcessAsync(WhatsAppWebhookParser.Parse(body), CancellationToken.None);

        Assert.Equal(1, result.Statuses);
        Assert.Equal(confirms, await store.WasSentAsync(Channel.WhatsApp, "wamid.IN:3"));
        Assert.Equal(confirms, await store.GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN:3") is null);
        Assert.Empty(host.Sink.Messages);
        Assert.Empty(host.Graph.SentMessages);
    }

    [Fact]
    public async Task A_status_without_callback_data_confirms_nothing()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var store = host.Services.GetRequiredService<HotelAgent.Core.Channels.Common.SqliteSentMessageStore>();
        await store.RecordAttemptAsync(Channel.WhatsApp, "wamid.IN:4");

        await host.Services.GetRequiredService<WhatsAppInboundProcessor>().ProcessAsync(
            WhatsAppWebhookParser.Parse(Payloads.Read("statuses_only.json").Replace("wamid.IN1:0", string.Empty, StringComparison.Ordinal)),
            CancellationToken.None);

        Assert.False(await store.WasSentAsync(Channel.WhatsApp, "wamid.IN:4"));
        Assert.NotNull(await store.GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN:4"));
    }
}

public class WhatsAppInboundProcessorFailureTests
{
    [Fact]
    public async Task Delivery_failure_forgets_the_id_so_a_retry_processes_the_message()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?> { ["WhatsApp:MarkAsRead"] = "false" });
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        var body = WhatsAppWebhookSamples.Text("Hola", wamid: "wamid.RETRY");
        host.Sink.FailWith = new InvalidOperationException("storage unavailable");

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(WhatsAppWebhookParser.Parse(body), CancellationToken.None));
        host.Sink.FailWith = null;
        var result = await processor.ProcessAsync(WhatsAppWebhookParser.Parse(body), CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        Assert.Equal("wamid.RETRY", Assert.Single(host.Sink.Messages).ProviderMessageId);
    }

    [Fact]
    public async Task Notice_failure_does_not_fail_the_batch()
    {
        await using var host = await WhatsAppTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:Burst"] = "1",
            ["RateLimit:PerMinute"] = "1",
            ["WhatsApp:MarkAsRead"] = "false",
            ["WhatsApp:MaxRetryAttempts"] = "0",
        });
        host.Graph.FailNextSends(1, 100);
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();

        await processor.ProcessAsync(WhatsAppWebhookParser.Parse(WhatsAppWebhookSamples.Text("uno")), CancellationToken.None);
        var result = await processor.ProcessAsync(WhatsAppWebhookParser.Parse(WhatsAppWebhookSamples.Text("dos")), CancellationToken.None);

        Assert.Equal(1, result.RateLimited);
        Assert.Single(host.Sink.Messages);
        Assert.Empty(host.Graph.SentMessages);
    }
}
