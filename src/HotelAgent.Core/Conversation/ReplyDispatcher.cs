using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Sends the text reply on the guest's channel (email booking confirmations carry an .ics calendar file);
/// voice notes are queued by <see cref="IVoiceReplyQueue"/> when the guest spoke.
/// </summary>
public sealed class ReplyDispatcher(
    IEnumerable<IChannelSender> senders,
    IEnumerable<IVoiceReplyQueue> voice,
    IPmsClient pms,
    BookingCalendar calendar,
    HotelProfile hotel) : IReplyDispatcher
{
    public async Task DispatchAsync(SendReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sender = senders.FirstOrDefault(s => s.Channel == request.Message.Channel)
            ?? throw new InvalidOperationException($"No sender is registered for channel {request.Message.Channel}.");

        var message = string.IsNullOrEmpty(request.Language) ? request.Message : request.Message with { Language = request.Language };
        if (request.BookingReference is { } reference && message.Channel == Channel.Email)
        {
            var reservation = await pms.GetReservationAsync(reference, cancellationToken);
            var ics = calendar.Build(hotel, reservation.Reference, reservation.CheckIn, reservation.CheckOut, message.GuestId, reservation.GuestName);
            message = message with
            {
                Reply = message.Reply with
                {
                    Attachments = [.. message.Reply.Attachments, new ReplyAttachment(BookingCalendar.FileNameFor(reference), BookingCalendar.ContentType, ics)],
                },
            };
        }

        // The text always goes out: it is the fallback when synthesis fails.
        await sender.SendAsync(message, cancellationToken);
        if (request.AlsoVoice && voice.FirstOrDefault() is { } queue)
        {
            await queue.EnqueueAsync(request, cancellationToken);
        }
    }
}

/// <summary>Queues a spoken version of a reply (the audio pipeline implements it).</summary>
public interface IVoiceReplyQueue
{
    Task EnqueueAsync(SendReplyRequest request, CancellationToken cancellationToken);
}
