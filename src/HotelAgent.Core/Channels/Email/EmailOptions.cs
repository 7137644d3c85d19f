using System.ComponentModel.DataAnnotations;
using System.Net;
using MailKit.Security;

namespace HotelAgent.Core.Channels.Email;

/// <summary>How HotelAgent signs in to the hotel mailbox.</summary>
public enum EmailAuthMode
{
    /// <summary><c>Email__Password</c> (an app password for Gmail / Microsoft 365, the mailbox password elsewhere).</summary>
    Password,

    /// <summary>OAuth2 (XOAUTH2) with a Google refresh token or a service account with domain-wide delegation.</summary>
    Google,

    /// <summary>OAuth2 (XOAUTH2) with a Microsoft Entra app (client secret) or the app's managed identity.</summary>
    Microsoft,
}

/// <summary>One mail server endpoint (<c>Email__Imap__*</c> or <c>Email__Smtp__*</c>).</summary>
public sealed class MailServerOptions
{
    public string Host { get; set; } = string.Empty;

    /// <summary>0 = the usual port for <see cref="Security"/> (IMAP 993/143, SMTP 465/587).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>MailKit's <see cref="SecureSocketOptions"/>: <c>SslOnConnect</c> (993, 465), <c>StartTls</c> (143, 587), <c>Auto</c>, <c>None</c> (loopback only).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;
}

/// <summary>Email channel settings (section <c>Email</c>, env vars <c>Email__Key</c>): any IMAP/SMTP mailbox.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>The OAuth2 scope Google requires for IMAP and SMTP.</summary>
    public const string GoogleMailScope = "https://mail.google.com/";

    /// <summary>The OAuth2 scope of Exchange Online IMAP and SMTP for app-only (client credentials) tokens.</summary>
    public const string MicrosoftMailScope = "https://outlook.office365.com/.default";

    public bool Enabled { get; set; }

    /// <summary>The hotel mailbox (e.g. reservas@hotel.com): From of replies, and our own mail to skip.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Display name on replies (e.g. "Hotel Palermo Soho"); empty sends the bare address.</summary>
    public string? SenderName { get; set; }

    /// <summary>Login name; empty = <see cref="Address"/>.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public EmailAuthMode Auth { get; set; } = EmailAuthMode.Password;

    public MailServerOptions Imap { get; set; } = new();

    public MailServerOptions Smtp { get; set; } = new();

    /// <summary>Google or Microsoft OAuth client id.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Google refresh token of the mailbox (scope <see cref="GoogleMailScope"/>).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Google service-account JSON key (domain-wide delegation); alternative to the refresh token.</summary>
    public string? ServiceAccountJson { get; set; }

    /// <summary>Path of a Google service-account JSON key; alternative to <see cref="ServiceAccountJson"/>.</summary>
    public string? ServiceAccountKeyPath { get; set; }

    /// <summary>Google token endpoint of the refresh-token flow (overridable for tests).</summary>
    [Required]
    public string TokenEndpoint { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>Microsoft Entra tenant (id or domain) of the app that reads the mailbox.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// A private CA (PEM text) whose certificates the mail servers may present, besides the system's trusted roots (a
    /// self-hosted server with the company's CA). Empty = only certificates the system trusts. Validation is never off.
    /// </summary>
    public string? CaCertificate { get; set; }

    /// <summary>A PEM file with the private CA certificate(s); alternative to <see cref="CaCertificate"/>.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>NCRONTAB (six fields) of the poll timer.</summary>
    [Required]
    public string PollSchedule { get; set; } = "0 */2 * * * *";

    /// <summary>A folder polled besides INBOX (e.g. one a mail rule files reservations into); empty = INBOX only.</summary>
    public string? ExtraFolder { get; set; }

    /// <summary>Where copies of replies go; empty = the server's \Sent special-use folder, else "Sent".</summary>
    public string? SentFolder { get; set; }

    /// <summary>Append a copy of each reply to <see cref="SentFolder"/>; empty = yes, except for Gmail and Microsoft 365, which file SMTP mail themselves.</summary>
    public bool? AppendToSent { get; set; }

    [Range(1, 500)]
    public int MaxMessagesPerPoll { get; set; } = 20;

    /// <summary>Guest text longer than this is truncated before it reaches the receptionist.</summary>
    [Range(100, 100_000)]
    public int MaxBodyChars { get; set; } = 8000;

    /// <summary>Network timeout of one IMAP or SMTP command.</summary>
    [Range(5, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The login name actually used.</summary>
    public string LoginName => string.IsNullOrWhiteSpace(UserName) ? Address : UserName;

    public bool UsesGoogleServiceAccount =>
        !string.IsNullOrWhiteSpace(ServiceAccountJson) || !string.IsNullOrWhiteSpace(ServiceAccountKeyPath);

    /// <summary>Whether replies are copied to the Sent folder by us (the provider does not do it).</summary>
    public bool ShouldAppendToSent => AppendToSent ?? !(IsGmail || IsMicrosoft365);

    internal bool IsGmail => Auth == EmailAuthMode.Google || Smtp.Host.EndsWith("gmail.com", StringComparison.OrdinalIgnoreCase);

    internal bool IsMicrosoft365 => Auth == EmailAuthMode.Microsoft || Smtp.Host.EndsWith("office365.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fills in the well-known servers of Gmail and Microsoft 365 when the hosts are not set.</summary>
    public void ApplyProviderDefaults()
    {
        var (imap, smtp) = Auth switch
        {
            EmailAuthMode.Google => ("imap.gmail.com", "smtp.gmail.com"),
            EmailAuthMode.Microsoft => ("outlook.office365.com", "smtp.office365.com"),
            _ => (null, null),
        };
        if (string.IsNullOrWhiteSpace(Imap.Host) && imap is not null)
        {
            Imap.Host = imap;
        }

        if (string.IsNullOrWhiteSpace(Smtp.Host) && smtp is not null)
        {
            Smtp.Host = smtp;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Address) || !Address.Contains('@', StringComparison.Ordinal))
        {
            yield return new ValidationResult("Email__Address must be the hotel mailbox address.", [nameof(Address)]);
        }

        foreach (var (name, server) in new[] { ("Imap", Imap), ("Smtp", Smtp) })
        {
            if (string.IsNullOrWhiteSpace(server.Host))
            {
                yield return new ValidationResult($"Email__{name}__Host is required (the mail provider's {name.ToUpperInvariant()} server).", [name]);
            }
            else if (server.Security == SecureSocketOptions.None && !IsLoopback(server.Host))
            {
                yield return new ValidationResult(
                    $"Email__{name}__Security=None would send the mailbox credentials in clear text: use SslOnConnect or StartTls (None is for loopback test servers only).",
                    [name]);
            }
        }

        switch (Auth)
        {
            case EmailAuthMode.Password when string.IsNullOrEmpty(Password):
                yield return new ValidationResult("Email__Password is required with Email__Auth=Password (use an app password for Gmail or Microsoft 365).", [nameof(Password)]);
                break;
            case EmailAuthMode.Google when !UsesGoogleServiceAccount
                && (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(ClientSecret) || string.IsNullOrWhiteSpace(RefreshToken)):
                yield return new ValidationResult(
                    "Email__Auth=Google needs Email__ClientId + Email__ClientSecret + Email__RefreshToken, or Email__ServiceAccountJson / Email__ServiceAccountKeyPath.",
                    [nameof(RefreshToken), nameof(ServiceAccountJson)]);
                break;
            case EmailAuthMode.Microsoft when string.IsNullOrWhiteSpace(TenantId) || string.IsNullOrWhiteSpace(ClientId):
                yield return new ValidationResult("Email__Auth=Microsoft needs Email__TenantId and Email__ClientId (and Email__ClientSecret unless a managed identity is used).", [nameof(TenantId)]);
                break;
        }

        string? caError = null;
        try
        {
            foreach (var authority in MailServerCertificates.LoadAuthorities(this))
            {
                authority.Dispose();
            }
        }
        catch (InvalidOperationException ex)
        {
            caError = ex.Message;
        }

        if (caError is not null)
        {
            yield return new ValidationResult(caError, [nameof(CaCertificate), nameof(CaCertificatePath)]);
        }

        if (!Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Email__TokenEndpoint must be an absolute URL.", [nameof(TokenEndpoint)]);
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
