namespace HotelAgent.Core.Messaging;

/// <summary>The channels a guest can reach the hotel through.</summary>
public enum Channel
{
    /// <summary>WhatsApp Cloud API.</summary>
    WhatsApp,

    /// <summary>Email: the hotel mailbox over IMAP and SMTP.</summary>
    Email,

    /// <summary>The local web chat and terminal chat (development and demos).</summary>
    WebChat,
}
