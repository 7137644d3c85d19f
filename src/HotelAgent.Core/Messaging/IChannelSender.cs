namespace HotelAgent.Core.Messaging;

/// <summary>Sends replies on one channel (WhatsApp Cloud API, Gmail, web chat).</summary>
public interface IChannelSender
{
    Channel Channel { get; }

    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
