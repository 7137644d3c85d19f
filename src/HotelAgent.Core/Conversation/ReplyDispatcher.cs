using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Sends the text reply on the guest's channel (email booking confirmations carry an .ics calendar file; a booking made on
/// another channel with an email is also confirmed by email, with the .ics, when an email channel is configured);
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
        var emailSender = senders.FirstOrDefault(s => s.Channel == Channel.Email);
        OutboundMessage? emailCopy = null;
        if (request.BookingReference is { } reference && (message.Channel == Channel.Email || emailSender is not null))
        {
            var reservation = await pms.GetReservationAsync(reference, cancellationToken);
            var ics = new ReplyAttachment(BookingCalendar.FileNameFor(reference), BookingCalendar.ContentType,
                calendar.Build(hotel, reservation.Reference, reservation.CheckIn, reservation.CheckOut,
                    message.Channel == Channel.Email ? message.GuestId : reservation.Email ?? message.GuestId, reservation.GuestName));
            if (message.Channel == Channel.Email)
            {
                message = message with { Reply = message.Reply with { Attachments = [.. message.Reply.Attachments, ics] } };
            }
            else if (reservation.Email is { } mail && mail.Contains('@', StringComparison.Ordinal))
            {
                // The dialog told the guest the confirmation goes to this address (it only says so when an email channel is
                // configured): send it, with the calendar file, under its own idempotency key.
                var subject = request.Language == "en" ? $"Booking confirmation {reference} · {hotel.Name}" : $"Confirmación de reserva {reference} · {hotel.Name}";
                emailCopy = new OutboundMessage(Channel.Email, mail, new Reply(message.Reply.Text) { Attachments = [ics] }, message.IdempotencyKey + ":email")
                {
                    ChannelContext = new Dictionary<string, string> { [EmailContextKeys.Subject] = subject },
                };
            }
        }

        // The text always goes out: it is the fallback when synthesis fails.
        await sender.SendAsync(message, cancellationToken);
        if (emailCopy is not null)
        {
            // After the channel reply (a retry of this activity does not repeat it: sends are idempotent by key).
            await emailSender!.SendAsync(emailCopy, cancellationToken);
        }

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
