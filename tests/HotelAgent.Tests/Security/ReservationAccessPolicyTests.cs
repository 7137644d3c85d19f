using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Tests.Security;

public sealed class ReservationAccessPolicyTests
{
    private static Reservation Booking(string contact, Channel channel, string? email = null) => new()
    {
        Reference = "HPS-ABC234",
        GuestName = "Valentina Ruiz",
        Contact = contact,
        Email = email,
        Channel = channel,
        RoomType = "doble",
        CheckIn = new DateOnly(2027, 1, 10),
        CheckOut = new DateOnly(2027, 1, 12),
        Guests = 2,
        NightlyRate = 95000,
        TotalPrice = 190000,
        Currency = "ARS",
        Status = ReservationStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData("webchat:x-54-9-11-6666-0001")]
    [InlineData("webchat:5491166660001")]
    [InlineData("webchat:abc5491166660001xyz")]
    [InlineData("5491166660001")]
    [InlineData("+5491166660001")]
    public void No_web_chat_session_owns_a_whatsapp_booking_whatever_digits_its_id_holds(string sessionGuestId)
    {
        Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.WebChat, sessionGuestId), Booking("+5491166660001", Channel.WhatsApp)));
    }

    [Fact]
    public void Random_session_ids_made_of_a_phones_digits_never_match_it()
    {
        var booking = Booking("+5491166660001", Channel.WhatsApp);
        var random = new Random(20);
        for (var i = 0; i < 2000; i++)
        {
            var noise = new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => "abcxyz-0123456789"[random.Next(17)]).ToArray());
            var session = WebChatSessionsId(noise + "5491166660001" + noise);
            Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.WebChat, session), booking));
        }
    }

    [Fact]
    public void A_whatsapp_number_owns_the_bookings_of_that_phone_only()
    {
        var booking = Booking("+54 9 11 6666-0001", Channel.WhatsApp);

        Assert.Equal(ReservationAccess.Owner, ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.WhatsApp, "+5491166660001"), booking));
        Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.WhatsApp, "+5491166660002"), booking));
        Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.WhatsApp, "+5491166660001"), Booking("webchat:5491166660001", Channel.WebChat)));
    }

    [Fact]
    public void An_email_sender_only_views_bookings_of_its_address_and_never_owns_them()
    {
        var byEmail = Booking("ana@example.com", Channel.Email);
        var withEmail = Booking("+5491166660001", Channel.WhatsApp, email: "Ana@Example.com");

        Assert.Equal(ReservationAccess.ViewOnly, ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.Email, "ana@example.com"), byEmail));
        Assert.Equal(ReservationAccess.ViewOnly, ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.Email, "ana@example.com"), withEmail));
        Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.Email, "otra@example.com"), byEmail));
        Assert.Null(ReservationAccessPolicy.AccessOf(new GuestIdentity(Channel.Email, "5491166660001@example.com"), withEmail));
    }

    [Fact]
    public void A_bookings_own_contacts_are_its_phone_address_or_session_plus_its_email()
    {
        Assert.Equal(
            [new GuestIdentity(Channel.WhatsApp, "+5491166660001"), new GuestIdentity(Channel.Email, "ana@example.com")],
            ReservationAccessPolicy.OwnerContacts(Booking("+5491166660001", Channel.WhatsApp, email: "ana@example.com")));
        Assert.Equal([new GuestIdentity(Channel.WebChat, "webchat:session-0001")], ReservationAccessPolicy.OwnerContacts(Booking("webchat:session-0001", Channel.WebChat)));

        // A legacy web-chat contact (no prefix) is no contact at all: nothing is ever sent to a guessable session.
        Assert.Empty(ReservationAccessPolicy.OwnerContacts(Booking("session-0001", Channel.WebChat)));
    }

    [Fact]
    public void The_pms_contact_index_keeps_non_phone_contacts_as_they_are()
    {
        Assert.Equal("+5491166660001", ContactNormalizer.NormalizeContact("+54 9 11 6666-0001"));
        Assert.Equal("webchat:x-54-9-11-6666-0001", ContactNormalizer.NormalizeContact("webchat:x-54-9-11-6666-0001"));
        Assert.Equal("x-54-9-11-6666-0001", ContactNormalizer.NormalizeContact("x-54-9-11-6666-0001"));
        Assert.Equal("ana@example.com", ContactNormalizer.NormalizeContact(" Ana@Example.com "));
    }

    private static string WebChatSessionsId(string raw)
    {
        var session = new string(raw.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
        return HotelAgent.Core.Channels.WebChat.WebChatSessions.GuestIdPrefix + (session.Length < 8 ? session.PadRight(8, 'x') : session);
    }
}
