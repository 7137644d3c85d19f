using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>WhatsApp Cloud API settings (section <c>WhatsApp</c>, env vars <c>WhatsApp__Key</c>).</summary>
public sealed class WhatsAppOptions
{
    public const string SectionName = "WhatsApp";

    /// <summary>System-user (or temporary) access token sent as <c>Authorization: Bearer</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>App secret used to verify <c>X-Hub-Signature-256</c> on webhooks.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AppSecret { get; set; } = string.Empty;

    /// <summary>Token Meta echoes in the <c>hub.verify_token</c> of the subscription handshake.</summary>
    [Required(AllowEmptyStrings = false)]
    public string VerifyToken { get; set; } = string.Empty;

    /// <summary>The business phone number id (not the phone number itself).</summary>
    [Required(AllowEmptyStrings = false)]
    public string PhoneNumberId { get; set; } = string.Empty;

    /// <summary>Graph API base URL; tests point it at a loopback fake.</summary>
    [Required(AllowEmptyStrings = false)]
    [Url]
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>Graph API version segment.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^v\d+\.\d+$")]
    public string GraphVersion { get; set; } = "v23.0";

    /// <summary>Largest inbound media accepted (WhatsApp's own audio limit is 16 MB).</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxMediaBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Outbound messages per second for this business number (Cloud API allows ~80).</summary>
    [Range(0.1, 1000)]
    public double MessagesPerSecond { get; set; } = 20;

    /// <summary>Outbound burst allowed before the per-second throttle applies.</summary>
    [Range(1, 1000)]
    public int MessagesBurst { get; set; } = 20;

    /// <summary>Retries after the first attempt for rate limits (130429, 131056), 5xx and network errors.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one Graph API call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Approved template sent instead of free text outside the 24-hour customer-service window.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ReengagementTemplateName { get; set; } = "hotel_reengagement";

    /// <summary>Language code of the re-engagement template (e.g. <c>es</c>, <c>es_AR</c>, <c>en_US</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ReengagementTemplateLanguage { get; set; } = "es";

    /// <summary>
    /// When true the client tracks the 24-hour customer-service window and sends the re-engagement template
    /// instead of free text outside it. The Graph API's 131047 error falls back to the template either way.
    /// </summary>
    public bool EnforceCustomerServiceWindow { get; set; } = true;

    /// <summary>Length of the customer-service window.</summary>
    public TimeSpan CustomerServiceWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Send a read receipt (blue ticks) for each accepted inbound message.</summary>
    public bool MarkAsRead { get; set; } = true;

    /// <summary>
    /// When a send of the same key was attempted by another (dead) process, or long ago, and never confirmed: how long
    /// to wait for Meta's status webhook (which echoes <c>biz_opaque_callback_data</c>) before sending again.
    /// <c>0</c> sends again at once (at-least-once either way: a reply is never lost).
    /// </summary>
    [Range(0, 300)]
    public int UnconfirmedSendWaitSeconds { get; set; } = 15;

    internal Uri ApiUri(string relativePath) =>
        new($"{GraphBaseUrl.TrimEnd('/')}/{GraphVersion.Trim('/')}/{relativePath.TrimStart('/')}", UriKind.Absolute);
}
