using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Channels.WhatsApp;

public sealed class WhatsAppForeignNumberTests
{
    [Fact]
    public async Task A_signed_notification_for_another_phone_number_id_is_ignored_and_logged()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var processor = host.Services.GetRequiredService<WhatsAppInboundProcessor>();
        var foreign = WhatsAppWebhookParser.Parse(WhatsAppWebhookSamples.Text("hola", wamid: "wamid.FOREIGN", phoneNumberId: "999999999999999"));
        var ours = WhatsAppWebhookParser.Parse(WhatsAppWebhookSamples.Text("hola", wamid: "wamid.OURS", phoneNumberId: WhatsAppTestHost.PhoneNumberId));

        var ignored = await processor.ProcessAsync(foreign, CancellationToken.None);
        var accepted = await processor.ProcessAsync(ours, CancellationToken.None);

        Assert.Equal((0, 1), (ignored.Accepted, ignored.Ignored));
        Assert.Equal(1, accepted.Accepted);
        Assert.Equal(["wamid.OURS"], host.Sink.Messages.Select(m => m.ProviderMessageId));
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("999999999999999", StringComparison.Ordinal));
    }
}
