using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Security;

/// <summary>Identity and verification settings (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Secret key of the conversation-id hash (HMAC-SHA256) and of the one-time-code hashes. Required in Production (a
    /// <c>dev-</c> value is refused); changing it changes every conversation id.
    /// </summary>
    public string ConversationIdKey { get; set; } = Messaging.ConversationIds.DevelopmentKey;

    /// <summary>Digits of a one-time code.</summary>
    [Range(6, 8)]
    public int CodeDigits { get; set; } = 6;

    /// <summary>How long a one-time code is valid.</summary>
    [Range(1, 60)]
    public int CodeLifetimeMinutes { get; set; } = 10;

    /// <summary>Wrong codes for one reservation (over all its codes) before it is locked.</summary>
    [Range(1, 20)]
    public int MaxCodeAttempts { get; set; } = 5;

    /// <summary>How long a reservation stays locked for codes after too many wrong ones.</summary>
    [Range(1, 24 * 60)]
    public int LockMinutes { get; set; } = 60;

    /// <summary>Codes sent per reservation per hour (more requests get the same answer but no message).</summary>
    [Range(1, 20)]
    public int MaxCodesPerReservationPerHour { get; set; } = 3;

    /// <summary>Codes one conversation may request per hour.</summary>
    [Range(1, 50)]
    public int MaxCodesPerConversationPerHour { get; set; } = 5;
}
