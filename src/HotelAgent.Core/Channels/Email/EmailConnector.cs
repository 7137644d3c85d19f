using System.Net.Security;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Opens authenticated IMAP and SMTP connections to the hotel mailbox with the configured security and credentials:
/// the password (MailKit picks the strongest SASL mechanism the server offers) or an OAuth2 token as XOAUTH2
/// (<see cref="SaslMechanismOAuth2"/>). Server certificates are checked against the system's roots, plus a private CA when
/// one is configured (<see cref="MailServerCertificates"/>). Failures surface as <see cref="EmailException"/>.
/// </summary>
public sealed class EmailConnector(IOptionsMonitor<EmailOptions> options, IServiceProvider services)
{
    private readonly Lock _trustLock = new();
    private (string? Pem, string? Path, RemoteCertificateValidationCallback? Callback) _trust;

    /// <summary>A connected, authenticated IMAP client (dispose it; <see cref="ImapClient.DisconnectAsync(bool, CancellationToken)"/> is polite but optional).</summary>
    public async Task<ImapClient> ConnectImapAsync(CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var client = new ImapClient { Timeout = o.TimeoutSeconds * 1000, ServerCertificateValidationCallback = CertificateCallback(o) };
        try
        {
            var (port, security) = ImapEndpoint(o.Imap);
            await Step("IMAP connect", () => client.ConnectAsync(o.Imap.Host, port, security, cancellationToken));
            await Step("IMAP login", () => AuthenticateAsync(client, o, cancellationToken));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A connected, authenticated SMTP client (dispose it).</summary>
    public async Task<SmtpClient> ConnectSmtpAsync(CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000, ServerCertificateValidationCallback = CertificateCallback(o) };
        try
        {
            var (port, security) = SmtpEndpoint(o.Smtp);
            await Step("SMTP connect", () => client.ConnectAsync(o.Smtp.Host, port, security, cancellationToken));
            await Step("SMTP login", () => AuthenticateAsync(client, o, cancellationToken));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>IMAP: 0 → 993 with TLS from the start, 143 with STARTTLS; <c>Auto</c> never falls back to clear text.</summary>
    internal static (int Port, SecureSocketOptions Security) ImapEndpoint(MailServerOptions server) => server.Security switch
    {
        SecureSocketOptions.Auto => server.Port is 0 or 993 ? (993, SecureSocketOptions.SslOnConnect) : (server.Port, SecureSocketOptions.StartTls),
        SecureSocketOptions.SslOnConnect => (server.Port == 0 ? 993 : server.Port, server.Security),
        _ => (server.Port == 0 ? 143 : server.Port, server.Security),
    };

    /// <summary>SMTP submission: 0 → 587 with STARTTLS, 465 with TLS from the start; <c>Auto</c> never falls back to clear text.</summary>
    internal static (int Port, SecureSocketOptions Security) SmtpEndpoint(MailServerOptions server) => server.Security switch
    {
        SecureSocketOptions.Auto => server.Port == 465 ? (465, SecureSocketOptions.SslOnConnect) : (server.Port == 0 ? 587 : server.Port, SecureSocketOptions.StartTls),
        SecureSocketOptions.SslOnConnect => (server.Port == 0 ? 465 : server.Port, server.Security),
        _ => (server.Port == 0 ? 587 : server.Port, server.Security),
    };

    /// <summary>The private-CA callback (null: MailKit's default validation), parsed once per setting value.</summary>
    private RemoteCertificateValidationCallback? CertificateCallback(EmailOptions o)
    {
        lock (_trustLock)
        {
            if (_trust.Callback is null || _trust.Pem != o.CaCertificate || _trust.Path != o.CaCertificatePath)
            {
                _trust = (o.CaCertificate, o.CaCertificatePath, MailServerCertificates.CallbackFor(o));
            }

            return _trust.Callback;
        }
    }

    private async Task AuthenticateAsync(IMailService client, EmailOptions o, CancellationToken cancellationToken)
    {
        if (o.Auth == EmailAuthMode.Password)
        {
            await client.AuthenticateAsync(new System.Net.NetworkCredential(o.LoginName, o.Password), cancellationToken);
            return;
        }

        var tokens = services.GetRequiredKeyedService<IEmailAccessTokenSource>(o.Auth);
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        await client.AuthenticateAsync(new SaslMechanismOAuth2(o.LoginName, token), cancellationToken);
    }

    private static async Task Step(string step, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (EmailException.From(ex, step) is { } mapped && !ReferenceEquals(mapped, ex))
        {
            throw mapped;
        }
    }
}
