namespace HotelAgent.Core.Channels.Email;

/// <summary>Outcome of one poll of the hotel mailbox.</summary>
/// <param name="Fetched">Unseen messages looked at (headers, then the text of guest mail).</param>
/// <param name="Accepted">Guest messages handed to the receptionist (then flagged \Seen).</param>
/// <param name="Duplicates">Messages the inbound gate had already handled (e.g. flagging failed after a crash): flagged \Seen, not answered again.</param>
/// <param name="Skipped">Own mail, auto-replies, bounces, mailing lists and empty mail: not answered, kept for staff.</param>
/// <param name="Failed">Messages left unseen for the next poll.</param>
/// <param name="Error">A failure that stopped the poll (sign-in, network), with its reason; null when the poll ran.</param>
public sealed record EmailPollResult(int Fetched, int Accepted, int Duplicates, int Skipped, int Failed, string? Error)
{
    /// <summary>The kind of the failure, when <see cref="Error"/> is set.</summary>
    public EmailErrorKind? ErrorKind { get; init; }

    /// <summary>True when the channel is off (<c>Email__Enabled=false</c>): nothing was contacted.</summary>
    public bool IsDisabled { get; init; }

    public static EmailPollResult Disabled { get; } = new(0, 0, 0, 0, 0, "email is disabled (Email__Enabled=false)") { IsDisabled = true };
}

/// <summary>Keys of <see cref="Messaging.InboundMessage.ChannelContext"/> / <see cref="Messaging.OutboundMessage.ChannelContext"/> for email.</summary>
public static class EmailContextKeys
{
    /// <summary>The guest's subject (decoded).</summary>
    public const string Subject = "subject";

    /// <summary>The guest's Message-ID header, with angle brackets.</summary>
    public const string MessageId = "messageId";

    /// <summary>The guest's References header (space-separated ids with angle brackets).</summary>
    public const string References = "references";

    /// <summary>The IMAP folder the message was read from.</summary>
    public const string Folder = "folder";

    /// <summary>The message's IMAP UID in <see cref="Folder"/>, valid while the folder keeps <see cref="UidValidity"/>.</summary>
    public const string Uid = "uid";

    /// <summary>The folder's UIDVALIDITY when the message was read.</summary>
    public const string UidValidity = "uidValidity";
}
