using Azure.Core;
using Azure.Identity;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Email;

/// <summary>OAuth2 access tokens for XOAUTH2 sign-in to the mailbox (Google or Microsoft 365).</summary>
public interface IEmailAccessTokenSource
{
    /// <exception cref="EmailException">The token could not be obtained (revoked grant, bad key, network).</exception>
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Google (Google.Apis.Auth, which caches and refreshes the token): a refresh token of the mailbox
/// (<see cref="EmailOptions.ClientId"/>, <see cref="EmailOptions.ClientSecret"/>, <see cref="EmailOptions.RefreshToken"/>)
/// or a service-account key with domain-wide delegation impersonating <see cref="EmailOptions.Address"/>; scope
/// <see cref="EmailOptions.GoogleMailScope"/>.
/// </summary>
public sealed class GoogleAccessTokenSource(IOptionsMonitor<EmailOptions> options, TimeProvider time) : IEmailAccessTokenSource
{
    private readonly Lock _lock = new();
    private ICredential? _credential;

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Credential().GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException ex)
        {
            var status = (int?)ex.StatusCode;
            var kind = status is >= 500 or 429 ? EmailErrorKind.Transient : EmailErrorKind.Auth;
            throw new EmailException(kind, $"Google token: {ex.Error?.Error ?? "error"} (HTTP {status})", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EmailException(EmailErrorKind.Transient, "Google token endpoint unreachable: " + ex.HttpRequestError, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException)
        {
            throw new EmailException(EmailErrorKind.Auth, "invalid Google service account key: " + ex.GetType().Name, ex);
        }
    }

    private ICredential Credential()
    {
        lock (_lock)
        {
            return _credential ??= Create(options.CurrentValue, new GoogleClock(time));
        }
    }

    private static ICredential Create(EmailOptions o, GoogleClock clock)
    {
        if (o.UsesGoogleServiceAccount)
        {
            var json = !string.IsNullOrWhiteSpace(o.ServiceAccountJson) ? o.ServiceAccountJson : File.ReadAllText(o.ServiceAccountKeyPath!);
            return CredentialFactory.FromJson<ServiceAccountCredential>(json)
                .ToGoogleCredential()
                .CreateScoped(EmailOptions.GoogleMailScope)
                .CreateWithUser(o.Address)
                .UnderlyingCredential;
        }

        var flow = new AuthorizationCodeFlow(new AuthorizationCodeFlow.Initializer(GoogleAuthConsts.OidcAuthorizationUrl, o.TokenEndpoint)
        {
            ClientSecrets = new ClientSecrets { ClientId = o.ClientId, ClientSecret = o.ClientSecret },
            Scopes = [EmailOptions.GoogleMailScope],
            Clock = clock,
        });
        return new UserCredential(flow, o.Address, new TokenResponse { RefreshToken = o.RefreshToken });
    }

    /// <summary>Google.Apis.Auth's clock on our <see cref="TimeProvider"/> (token expiry follows test time).</summary>
    private sealed class GoogleClock(TimeProvider time) : Google.Apis.Util.IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }
}

/// <summary>
/// Microsoft 365 (Azure.Identity, which caches tokens): app-only tokens for <see cref="EmailOptions.MicrosoftMailScope"/>
/// from the Entra app's client secret, or from a managed identity when no secret is set. The app needs the Exchange
/// Online <c>IMAP.AccessAsApp</c> and <c>SMTP.SendAsApp</c> permissions and a service principal allowed on the mailbox.
/// </summary>
public sealed class MicrosoftAccessTokenSource(TokenCredential credential) : IEmailAccessTokenSource
{
    public static TokenCredential CreateCredential(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ClientSecret)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId))
            : new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
    }

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([EmailOptions.MicrosoftMailScope]), cancellationToken);
            return token.Token;
        }
        catch (CredentialUnavailableException ex)
        {
            throw new EmailException(EmailErrorKind.Auth, "Microsoft token: no managed identity available", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new EmailException(EmailErrorKind.Auth, "Microsoft token: " + ex.GetType().Name, ex);
        }
    }
}
