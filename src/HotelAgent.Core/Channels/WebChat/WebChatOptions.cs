using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>Web-chat limits (section <c>WebChat</c>): field sizes, rates per session and per client address, live sessions.</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>A posted message body (JSON); larger bodies get 413 without being read past the limit.</summary>
    [Range(1024, 1 << 20)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Characters of <c>text</c> (400 when longer).</summary>
    [Range(1, Security.InputLimits.MaxMessageChars)]
    public int MaxTextChars { get; set; } = Security.InputLimits.MaxMessageChars;

    /// <summary>Characters of <c>name</c> (400 when longer).</summary>
    [Range(1, Security.InputLimits.MaxDisplayNameChars)]
    public int MaxNameChars { get; set; } = Security.InputLimits.MaxDisplayNameChars;

    /// <summary>Characters of the client's message <c>id</c> (400 when longer).</summary>
    [Range(8, 200)]
    public int MaxMessageIdChars { get; set; } = 64;

    /// <summary>Messages one session may post at once, then <see cref="SessionPerMinute"/>.</summary>
    [Range(1, 100_000)]
    public int SessionBurst { get; set; } = 10;

    [Range(0.1, 1_000_000)]
    public double SessionPerMinute { get; set; } = 30;

    /// <summary>Messages one client address may post at once (all its sessions), then <see cref="ClientPerMinute"/>.</summary>
    [Range(1, 100_000)]
    public int ClientBurst { get; set; } = 60;

    [Range(0.1, 1_000_000)]
    public double ClientPerMinute { get; set; } = 300;

    /// <summary>New sessions one client address may open at once, then <see cref="NewSessionsPerClientPerMinute"/>.</summary>
    [Range(1, 100_000)]
    public int NewSessionsPerClientBurst { get; set; } = 20;

    [Range(0.1, 1_000_000)]
    public double NewSessionsPerClientPerMinute { get; set; } = 30;

    /// <summary>New sessions from all addresses together at once, then <see cref="NewSessionsPerMinute"/>.</summary>
    [Range(1, 100_000)]
    public int NewSessionsBurst { get; set; } = 100;

    [Range(0.1, 1_000_000)]
    public double NewSessionsPerMinute { get; set; } = 600;

    /// <summary>Reads (long polls) one client address may make at once, then <see cref="ReadsPerMinute"/>.</summary>
    [Range(1, 100_000)]
    public int ReadBurst { get; set; } = 120;

    [Range(0.1, 1_000_000)]
    public double ReadsPerMinute { get; set; } = 1200;

    /// <summary>Sessions kept in memory; past it the least recently used are forgotten, and new ones refused while all are recent.</summary>
    [Range(10, 1_000_000)]
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>A session unused this long may be forgotten to make room.</summary>
    [Range(1, 7 * 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 60;
}
