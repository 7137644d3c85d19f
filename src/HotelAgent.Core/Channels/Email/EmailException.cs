using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace HotelAgent.Core.Channels.Email;

/// <summary>Why a mail server or token call failed, as far as retrying is concerned.</summary>
public enum EmailErrorKind
{
    /// <summary>Credentials refused (wrong password, revoked or expired OAuth grant): fix the settings.</summary>
    Auth,

    /// <summary>Network failure, timeout, TLS handshake, 4xx SMTP answer, server busy: retried later.</summary>
    Transient,

    /// <summary>The server refused this message or command for good (5xx SMTP answer, IMAP NO/BAD).</summary>
    Rejected,
}

/// <summary>A failed IMAP, SMTP or token call. The message never contains credentials, tokens or message bodies.</summary>
public sealed class EmailException(EmailErrorKind kind, string reason, Exception? inner = null)
    : Exception($"Email {kind.ToString().ToLowerInvariant()} error: {reason}", inner)
{
    public EmailErrorKind Kind { get; } = kind;

    /// <summary>A short description for logs and poll results (server answers are included, never secrets).</summary>
    public string Reason { get; } = reason;

    /// <summary>Maps MailKit, socket and TLS failures to an <see cref="EmailException"/>; null for anything else.</summary>
    public static EmailException? From(Exception exception, string step)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            EmailException e => e,
            AuthenticationException e => new(EmailErrorKind.Auth, $"{step}: the server refused the credentials ({Short(e.Message)})", e),
            SmtpCommandException e when (int)e.StatusCode is >= 400 and < 500 => new(EmailErrorKind.Transient, $"{step}: SMTP {(int)e.StatusCode} {Short(e.Message)}", e),
            SmtpCommandException e => new(EmailErrorKind.Rejected, $"{step}: SMTP {(int)e.StatusCode} {Short(e.Message)}", e),
            ImapCommandException e => new(EmailErrorKind.Rejected, $"{step}: IMAP {e.Response} {Short(e.ResponseText)}", e),
            SslHandshakeException { ServerCertificate: not null } e => new(
                EmailErrorKind.Transient, $"{step}: TLS handshake failed: the server certificate is not trusted (expired, for another host, or from a CA the system does not trust: see Email__CaCertificate)", e),
            SslHandshakeException e => new(EmailErrorKind.Transient, $"{step}: TLS handshake failed", e),
            SocketException e => new(EmailErrorKind.Transient, $"{step}: network error {e.SocketErrorCode}", e),
            ProtocolException e => new(EmailErrorKind.Transient, $"{step}: connection lost ({e.GetType().Name})", e),
            ServiceNotConnectedException e => new(EmailErrorKind.Transient, $"{step}: not connected", e),
            ServiceNotAuthenticatedException e => new(EmailErrorKind.Auth, $"{step}: not authenticated", e),
            IOException e => new(EmailErrorKind.Transient, $"{step}: connection lost", e),
            TimeoutException e => new(EmailErrorKind.Transient, $"{step}: timeout", e),
            _ => null,
        };
    }

    private static string Short(string? text)
    {
        var oneLine = (text ?? string.Empty).ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
