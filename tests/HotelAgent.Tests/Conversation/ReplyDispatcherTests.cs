using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Tests.Dialog.Corpus;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Conversation;

/// <summary>The confirmation a booking reply promises: by email (with the .ics) when the guest gave one and email is configured.</summary>
public sealed class ReplyDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 15, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly HotelProfile _hotel = HotelProfile.Load(null);
    private readonly EmbeddedPmsClient _pms;
    private readonly WebChatHub _webChat = new(new FakeTimeProvider(Now));
    private readonly RecordingEmailSender _email = new();

    public ReplyDispatcherTests() => _pms = new EmbeddedPmsClient(_dir.File("pms.db"), _hotel, new FakeTimeProvider(Now));

    private ReplyDispatcher Dispatcher(bool emailConfigured) =>
        new(emailConfigured ? [_webChat, _email] : [_webChat], [], _pms, new BookingCalendar(new FakeTimeProvider(Now), new EmailOptionsMonitor(new EmailOptions { Address = "reservas@hotelpalermosoho.example" })), _hotel);

    private async Task<Reservation> BookAsync(Channel channel, string contact, string? email) => await _pms.CreateReservationAsync(new NewReservation
    {
        IdempotencyKey = "k-" + contact,
        GuestName = "Florencia Cano",
        Contact = contact,
        Email = email,
        Channel = channel,
        RoomType = "doble",
        CheckIn = new DateOnly(2026, 12, 10),
        CheckOut = new DateOnly(2026, 12, 12),
        Guests = 2,
    });

    private static SendReplyRequest Confirmation(Channel channel, string guest, Reservation r) =>
        new(new OutboundMessage(channel, guest, new Reply($"¡Listo! Código de reserva: {r.Reference}"), "wamid.1:0"), false, "es", "conv-1")
        {
            BookingReference = r.Reference,
        };

    [Fact]
    public async Task A_web_chat_booking_with_an_email_is_also_confirmed_by_email_with_the_calendar_file()
    {
        var r = await BookAsync(Channel.WebChat, "web-session-1", "flor.cano@hotmail.com");
        var dispatcher = Dispatcher(emailConfigured: true);

        await dispatcher.DispatchAsync(Confirmation(Channel.WebChat, "web-session-1", r), CancellationToken.None);
        await dispatcher.DispatchAsync(Confirmation(Channel.WebChat, "web-session-1", r), CancellationToken.None); // activity retried

        var mail = Assert.Single(_email.Sent);
        Assert.Equal("flor.cano@hotmail.com", mail.GuestId);
        Assert.Contains(r.Reference, mail.Reply.Text, StringComparison.Ordinal);
        Assert.Contains(mail.Reply.Attachments, a => a.FileName == BookingCalendar.FileNameFor(r.Reference));
        Assert.Contains(r.Reference, mail.ChannelContext[EmailContextKeys.Subject], StringComparison.Ordinal);
        Assert.Single(await _webChat.ReadAsync("web-session-1", 0, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Without_an_email_channel_nothing_is_sent_by_email()
    {
        var r = await BookAsync(Channel.WebChat, "web-session-2", "someone@example.com");

        await Dispatcher(emailConfigured: false).DispatchAsync(Confirmation(Channel.WebChat, "web-session-2", r), CancellationToken.None);

        Assert.Empty(_email.Sent);
        Assert.Single(await _webChat.ReadAsync("web-session-2", 0, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task An_email_guest_gets_the_calendar_file_in_the_reply_itself_once()
    {
        var r = await BookAsync(Channel.Email, "ana@example.com", "ana@example.com");

        await Dispatcher(emailConfigured: true).DispatchAsync(Confirmation(Channel.Email, "ana@example.com", r), CancellationToken.None);

        var mail = Assert.Single(_email.Sent);
        Assert.Equal("wamid.1:0", mail.IdempotencyKey);
        Assert.Contains(mail.Reply.Attachments, a => a.ContentType == BookingCalendar.ContentType);
    }

    public void Dispose()
    {
        _pms.Dispose();
        _dir.Dispose();
    }

    private sealed class EmailOptionsMonitor(EmailOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue => value;

        public EmailOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }
}
