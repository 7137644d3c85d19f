using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Dialog.Corpus;
using HotelAgent.Tests.Fakes.Dialog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Dialog;

/// <summary>"Te mandamos la confirmación a …" only when an email channel is registered (the reply dispatcher then sends it).</summary>
public sealed class EmailPromiseTests : DialogTestBase
{
    private static ReceptionistDialog Resolve(bool emailChannel)
    {
        var config = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(HotelAgent.Core.Hotel.HotelProfile.Load(null));
        if (emailChannel)
        {
            services.AddSingleton<IChannelSender>(new RecordingEmailSender());
        }

        services.AddHotelAgentDialog(config);
        return services.BuildServiceProvider().GetRequiredService<ReceptionistDialog>();
    }

    private async Task<string> BookWithEmailAsync(ReceptionistDialog dialog)
    {
        var g = new DialogConversation(dialog, Effects, Channel.WebChat, "web-email-1", "Florencia Cano", Today);
        await g.Say("quiero una doble del 10 al 12 de diciembre para 2");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("flor.cano@hotmail.com");
        var booked = await g.Say("sí");
        Assert.Contains(booked.Events, e => e.Kind == DialogEventKind.Booked);
        return g.Text;
    }

    [Fact]
    public async Task With_an_email_channel_the_confirmation_email_is_announced()
    {
        var text = await BookWithEmailAsync(Resolve(emailChannel: true));

        Assert.Contains("Te envío la confirmación a flor.cano@hotmail.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_email_channel_no_email_is_promised()
    {
        var text = await BookWithEmailAsync(Resolve(emailChannel: false));

        Assert.DoesNotContain("flor.cano@hotmail.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmación a", text, StringComparison.Ordinal);
    }
}
