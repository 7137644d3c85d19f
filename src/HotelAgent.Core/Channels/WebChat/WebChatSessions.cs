using System.Text.RegularExpressions;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>
/// Web-chat session ids as guest ids. A session is anonymous: its guest id is the session id under the <c>webchat:</c>
/// prefix, so it can never equal (or normalize to) a phone number or an email address of another channel.
/// </summary>
public static partial class WebChatSessions
{
    public const string GuestIdPrefix = "webchat:";

    /// <summary>The session id the page and the CLI use: 8-64 letters, digits or dashes.</summary>
    public static bool IsValidSessionId(string? sessionId) => sessionId is not null && SessionIdPattern().IsMatch(sessionId);

    /// <summary>The guest id of a session (<c>webchat:{sessionId}</c>).</summary>
    public static string GuestId(string sessionId)
    {
        if (!IsValidSessionId(sessionId))
        {
            throw new ArgumentException("Not a web-chat session id.", nameof(sessionId));
        }

        return GuestIdPrefix + sessionId;
    }

    public static bool IsGuestId(string? guestId) =>
        guestId is not null && guestId.StartsWith(GuestIdPrefix, StringComparison.Ordinal) && IsValidSessionId(guestId[GuestIdPrefix.Length..]);

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionIdPattern();
}
