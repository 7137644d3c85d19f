using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>Gmail channel settings (section <c>Gmail</c>, env vars <c>Gmail__Key</c>).</summary>
public sealed class GmailOptions : IValidatableObject
{
    public const string SectionName = "Gmail";

    /// <summary>The scope needed to read, label and send (users.messages.modify/send, users.labels).</summary>
    public const string GmailModifyScope = "https://www.googleapis.com/auth/gmail.modify";

    public bool Enabled { get; set; }

    /// <summary>The hotel inbox (e.g. reservas@hotel.com); also the impersonated user with a service account.</summary>
    public string UserEmail { get; set; } = string.Empty;

    /// <summary>Display name on replies (e.g. "Hotel Palermo Soho"); empty sends the bare address.</summary>
    public string? SenderName { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? RefreshToken { get; set; }

    /// <summary>Path of a service-account JSON key (domain-wide delegation); alternative to the refresh token.</summary>
    public string? ServiceAccountKeyPath { get; set; }

    /// <summary>The service-account JSON key itself (e.g. from Key Vault); alternative to <see cref="ServiceAccountKeyPath"/>.</summary>
    public string? ServiceAccountJson { get; set; }

    [Required]
    public string ApiBaseUrl { get; set; } = "https://gmail.googleapis.com";

    [Required]
    public string TokenEndpoint { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>NCRONTAB (six fields) for the timer trigger.</summary>
    [Required]
    public string PollSchedule { get; set; } = "0 */2 * * * *";

    /// <summary>Gmail search for messages to handle; <c>-label:&lt;ProcessedLabel&gt;</c> is always appended.</summary>
    [Required]
    public string Query { get; set; } = "is:unread in:inbox -from:me";

    [Required]
    public string ProcessedLabel { get; set; } = "HotelAgent/Processed";

    [Range(1, 500)]
    public int MaxMessagesPerPoll { get; set; } = 20;

    /// <summary>Guest text longer than this is truncated before it reaches the receptionist.</summary>
    [Range(100, 100_000)]
    public int MaxBodyChars { get; set; } = 8000;

    public bool UsesServiceAccount =>
        !string.IsNullOrWhiteSpace(ServiceAccountJson) || !string.IsNullOrWhiteSpace(ServiceAccountKeyPath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(UserEmail) || !UserEmail.Contains('@', StringComparison.Ordinal))
        {
            yield return new ValidationResult("Gmail__UserEmail must be the hotel inbox address.", [nameof(UserEmail)]);
        }

        var refresh = !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret) && !string.IsNullOrWhiteSpace(RefreshToken);
        if (!refresh && !UsesServiceAccount)
        {
            yield return new ValidationResult(
                "Gmail needs either Gmail__ClientId + Gmail__ClientSecret + Gmail__RefreshToken or Gmail__ServiceAccountKeyPath / Gmail__ServiceAccountJson.",
                [nameof(RefreshToken), nameof(ServiceAccountJson)]);
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _) || !Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Gmail__ApiBaseUrl and Gmail__TokenEndpoint must be absolute URLs.", [nameof(ApiBaseUrl)]);
        }
    }
}
