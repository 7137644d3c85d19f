using System.Text.Json.Serialization;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using ContactNormalizer = HotelAgent.Core.Channels.Common.ContactNormalizer;

namespace HotelAgent.Core.Security;

/// <summary>
/// Who is asking: a channel plus the id that channel proves. A WhatsApp number is proved by Meta's signed webhook; a web-chat
/// session id (<c>webchat:…</c>) only proves that the caller knows the session; an email address is a claim (From and
/// Reply-To can be forged), although replies do reach that mailbox. Ids are compared only with ids of the same kind, never
/// by their digits or text across kinds.
/// </summary>
public sealed record GuestIdentity(Channel Channel, string Id)
{
    public static GuestIdentity Of(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new GuestIdentity(message.Channel, message.GuestId);
    }

    /// <summary>Masked for logs.</summary>
    public override string ToString() => $"{Channel}:{PiiMask.Contact(Id)}";
}

/// <summary>What a guest may do with a reservation the dialog found for them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReservationAccess>))]
public enum ReservationAccess
{
    /// <summary>
    /// Matched on an unproven claim (the email address a message came from): details may be sent to that address, a change
    /// or a cancellation needs a one-time code first. The default, so a state persisted without it grants the least.
    /// </summary>
    ViewOnly,

    /// <summary>Made by this very identity (the same WhatsApp number, the same web-chat session).</summary>
    Owner,

    /// <summary>Proved in this conversation with a one-time code sent to the booking's own contact.</summary>
    Verified,
}

/// <summary>A reservation and what the asking guest may do with it.</summary>
public sealed record AccessibleReservation(Reservation Reservation, ReservationAccess Access);

/// <summary>
/// The rule that decides which bookings an identity sees. A booking belongs to the contact it was made with; the lookup
/// in the PMS is only a candidate search, and this policy is the authority:
/// WhatsApp number = the booking's phone (both parsed as phone numbers, canonical E.164 compared);
/// email address = the booking's email contact or email field, view only;
/// web-chat session = the booking was made by exactly that session (<c>webchat:</c> ids never equal a phone or an email).
/// </summary>
public static class ReservationAccessPolicy
{
    /// <summary>The access <paramref name="requester"/> has to <paramref name="reservation"/>, or null for none.</summary>
    public static ReservationAccess? AccessOf(GuestIdentity requester, Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(reservation);
        return requester.Channel switch
        {
            Channel.WhatsApp => SamePhone(requester.Id, reservation.Contact) ? ReservationAccess.Owner : null,
            Channel.Email => SameEmail(requester.Id, reservation.Contact) || SameEmail(requester.Id, reservation.Email) ? ReservationAccess.ViewOnly : null,
            Channel.WebChat => WebChatSessions.IsGuestId(requester.Id) && string.Equals(requester.Id, reservation.Contact.Trim(), StringComparison.Ordinal)
                ? ReservationAccess.Owner
                : null,
            _ => null,
        };
    }

    /// <summary>
    /// Where the booking's own contact is reached: its contact (a phone → WhatsApp, an address → email, a web-chat session →
    /// that session) and its email field when it is another address. One-time codes and change notices go there.
    /// </summary>
    public static IReadOnlyList<GuestIdentity> OwnerContacts(Reservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var result = new List<GuestIdentity>(2);
        var contact = reservation.Contact.Trim();
        if (WebChatSessions.IsGuestId(contact))
        {
            result.Add(new GuestIdentity(Channel.WebChat, contact));
        }
        else if (ContactNormalizer.TryNormalizeEmail(contact, out var email) && contact.Contains('@', StringComparison.Ordinal))
        {
            result.Add(new GuestIdentity(Channel.Email, email));
        }
        else if (ContactNormalizer.TryNormalizePhone(contact, out var phone))
        {
            result.Add(new GuestIdentity(Channel.WhatsApp, phone));
        }

        if (ContactNormalizer.TryNormalizeEmail(reservation.Email, out var extra) && !result.Contains(new GuestIdentity(Channel.Email, extra)))
        {
            result.Add(new GuestIdentity(Channel.Email, extra));
        }

        return result;
    }

    /// <summary>True when <paramref name="requester"/> is one of the booking's own contacts (its replies already tell the owner).</summary>
    public static bool IsOwnerContact(GuestIdentity requester, Reservation reservation) =>
        OwnerContacts(reservation).Any(c => SameIdentity(c, requester));

    /// <summary>Same channel and the same id of that channel's kind (canonical phone, canonical address, exact session).</summary>
    public static bool SameIdentity(GuestIdentity a, GuestIdentity b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Channel == b.Channel && a.Channel switch
        {
            Channel.WhatsApp => SamePhone(a.Id, b.Id),
            Channel.Email => SameEmail(a.Id, b.Id),
            _ => string.Equals(a.Id, b.Id, StringComparison.Ordinal),
        };
    }

    private static bool SamePhone(string a, string? b) =>
        ContactNormalizer.TryNormalizePhone(a, out var x) && ContactNormalizer.TryNormalizePhone(b, out var y) && string.Equals(x, y, StringComparison.Ordinal);

    private static bool SameEmail(string a, string? b) =>
        a.Contains('@', StringComparison.Ordinal) && b is not null && b.Contains('@', StringComparison.Ordinal)
        && ContactNormalizer.TryNormalizeEmail(a, out var x) && ContactNormalizer.TryNormalizeEmail(b, out var y)
        && string.Equals(x, y, StringComparison.Ordinal);
}
