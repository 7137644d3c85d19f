using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Which TLS certificates of the mail servers are trusted. By default the system's trusted roots, checked by MailKit
/// (no callback is installed). When <see cref="EmailOptions.CaCertificate"/> or <see cref="EmailOptions.CaCertificatePath"/>
/// names a private CA (a self-hosted mail server, a company CA), a certificate that chains to one of those CAs is trusted
/// as well; the host name must always match and an expired or otherwise invalid chain is always refused.
/// </summary>
public static class MailServerCertificates
{
    /// <summary>
    /// The validation callback for <see cref="MailKit.MailService.ServerCertificateValidationCallback"/>: null when no
    /// private CA is configured (MailKit's own validation against the system roots applies).
    /// </summary>
    public static RemoteCertificateValidationCallback? CallbackFor(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authorities = LoadAuthorities(options);
        return authorities.Count == 0 ? null : (_, certificate, chain, errors) => IsTrusted(authorities, certificate, chain, errors);
    }

    /// <summary>
    /// The certificates of <see cref="EmailOptions.CaCertificate"/> (PEM text) and <see cref="EmailOptions.CaCertificatePath"/>
    /// (a PEM file); empty when neither is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is set but holds no readable PEM certificate.</exception>
    public static X509Certificate2Collection LoadAuthorities(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(options.CaCertificate))
        {
            Import(authorities, options.CaCertificate, "Email__CaCertificate");
        }

        if (!string.IsNullOrWhiteSpace(options.CaCertificatePath))
        {
            string pem;
            try
            {
                pem = File.ReadAllText(options.CaCertificatePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                throw new InvalidOperationException($"Email__CaCertificatePath cannot be read ({ex.GetType().Name}).", ex);
            }

            Import(authorities, pem, "Email__CaCertificatePath");
        }

        return authorities;
    }

    /// <summary>
    /// Trusted when the platform already trusts the certificate for this host, or when, with the host name matching,
    /// it chains to one of <paramref name="authorities"/> (custom root trust: the system roots play no part in that chain).
    /// </summary>
    public static bool IsTrusted(X509Certificate2Collection authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A private CA vouches for the chain only: a certificate for another host or no certificate is never accepted.
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);

        // Private CAs often publish no revocation list: revocation is checked when one is published, and its absence tolerated.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.Online;
        custom.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        custom.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreEndRevocationUnknown | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown;
        custom.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(10);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate); // intermediates the server sent
            }
        }

        return custom.Build(leaf);
    }

    private static void Import(X509Certificate2Collection authorities, string pem, string setting)
    {
        var before = authorities.Count;
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{setting} is not a PEM certificate ({ex.GetType().Name}).", ex);
        }

        if (authorities.Count == before)
        {
            throw new InvalidOperationException($"{setting} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
    }
}
