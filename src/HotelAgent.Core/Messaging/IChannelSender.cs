namespace HotelAgent.Core.Messaging;

/// <summary>Sends replies on one channel (WhatsApp Cloud API, email over SMTP, web chat).</summary>
public interface IChannelSender
{
    Channel Channel { get; }

    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
