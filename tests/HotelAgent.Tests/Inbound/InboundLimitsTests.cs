using HotelAgent.Core.Messaging;
using HotelAgent.Core.Security;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Inbound;

public sealed class InboundLimitsTests
{
    [Fact]
    public async Task A_huge_text_and_name_are_cut_for_understanding_and_storage_but_the_message_is_kept()
    {
        await using var host = await WhatsAppTestHost.StartAsync();
        var sink = host.Services.GetRequiredService<IInboundMessageSink>();
        var huge = new InboundMessage(Channel.WhatsApp, "+5491155551234", new string('n', 5000), new string('x', 2_000_000) + "😀", "wamid.HUGE", DateTimeOffset.UtcNow);

        Assert.Equal(InboundOutcome.Accepted, await sink.AcceptAsync(huge, CancellationToken.None));

        var delivered = Assert.Single(host.Sink.Messages);
        Assert.Equal(InputLimits.MaxMessageChars, delivered.Text.Length);
        Assert.Equal(InputLimits.MaxDisplayNameChars, delivered.DisplayName!.Length);
    }

    [Fact]
    public void Cutting_never_splits_a_surrogate_pair()
    {
        var text = new string('a', InputLimits.MaxMessageChars - 1) + "😀";

        var cut = InputLimits.Cut(text + "tail", InputLimits.MaxMessageChars)!;

        Assert.Equal(InputLimits.MaxMessageChars - 1, cut.Length);
        Assert.False(char.IsHighSurrogate(cut[^1]));
    }
}
