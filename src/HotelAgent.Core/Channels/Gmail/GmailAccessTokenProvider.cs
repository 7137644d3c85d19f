using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>Supplies OAuth2 access tokens for the Gmail API.</summary>
public interface IGmailAccessTokenProvider
{
    /// <exception cref="GmailApiException">The token could not be obtained (auth, quota, network).</exception>
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the cached token (after a 401) so the next call fetches a fresh one.</summary>
    void Invalidate();
}

/// <summary>
/// Refresh-token flow (POST <c>grant_type=refresh_token</c> to <see cref="GmailOptions.TokenEndpoint"/>) with the
/// token cached until five minutes before it expires; or, when a service-account key is configured, Google.Apis.Auth
/// with domain-wide delegation impersonating <see cref="GmailOptions.UserEmail"/>. Tokens are never logged.
/// </summary>
public sealed class GmailAccessTokenProvider : IGmailAccessTokenProvider, IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    /// <summary>Name of the IHttpClientFactory client used for the token endpoint.</summary>
    public const string HttpClientName = "HotelAgent.Gmail.Token";

    private readonly IHttpClientFactory _httpFactory;
    private readonly IOptionsMonitor<GmailOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GmailAccessTokenProvider> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;
    private GoogleCredential? _serviceAccount;

    public GmailAccessTokenProvider(IHttpClientFactory httpFactory, IOptionsMonitor<GmailOptions> options, TimeProvider time, ILogger<GmailAccessTokenProvider> logger)
    {
        _httpFactory = httpFactory;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many tokens were fetched from the token endpoint (diagnostics and tests).</summary>
    public int RefreshCount { get; private set; }

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        if (options.UsesServiceAccount)
        {
            return await GetServiceAccountTokenAsync(options, cancellationToken);
        }

        var token = _token;
        if (token is not null && _time.GetUtcNow() < _refreshAt)
        {
            return token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && _time.GetUtcNow() < _refreshAt)
            {
                return _token;
            }

            var (accessToken, expiresIn) = await RefreshAsync(options, cancellationToken);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            var margin = lifetime > RefreshMargin * 2 ? RefreshMargin : lifetime / 2;
            _token = accessToken;
            _refreshAt = _time.GetUtcNow() + lifetime - margin;
            RefreshCount++;
            Log.TokenRefreshed(_logger, expiresIn);
            return accessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _token = null;

    public void Dispose() => _gate.Dispose();

    private async Task<(string Token, int ExpiresIn)> RefreshAsync(GmailOptions options, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId ?? string.Empty,
            ["client_secret"] = options.ClientSecret ?? string.Empty,
            ["refresh_token"] = options.RefreshToken ?? string.Empty,
        });

        HttpResponseMessage response;
        try
        {
            response = await _httpFactory.CreateClient(HttpClientName).PostAsync(new Uri(options.TokenEndpoint), form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(new GmailApiException(GmailErrorKind.Transient, null, "token endpoint unreachable: " + ex.HttpRequestError, ex));
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(new GmailApiException(GmailErrorKind.Transient, null, "token endpoint timeout", ex));
        }

        using (response)
        {
            TokenReply? reply = null;
            try
            {
                reply = await response.Content.ReadFromJsonAsync<TokenReply>(cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                // handled below by status
            }

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(reply?.AccessToken))
            {
                return (reply.AccessToken, reply.ExpiresIn > 0 ? reply.ExpiresIn : 3600);
            }

            var reason = reply?.Error ?? "unexpected token response";
            var kind = status switch
            {
                429 => GmailErrorKind.Quota,
                >= 500 => GmailErrorKind.Transient,
                _ => GmailErrorKind.Auth, // invalid_grant, invalid_client, unauthorized_client
            };
            throw Fail(new GmailApiException(kind, status, reason));
        }
    }

    private async Task<string> GetServiceAccountTokenAsync(GmailOptions options, CancellationToken cancellationToken)
    {
        try
        {
            _serviceAccount ??= CreateServiceAccount(options);
            return await _serviceAccount.UnderlyingCredential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException ex)
        {
            var code = (int?)ex.StatusCode;
            var kind = code is >= 500 ? GmailErrorKind.Transient : code == 429 ? GmailErrorKind.Quota : GmailErrorKind.Auth;
            throw Fail(new GmailApiException(kind, code, ex.Error?.Error ?? "token error", ex));
        }
        catch (HttpRequestException ex)
        {
            throw Fail(new GmailApiException(GmailErrorKind.Transient, null, "token endpoint unreachable: " + ex.HttpRequestError, ex));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException)
        {
            throw Fail(new GmailApiException(GmailErrorKind.Auth, null, "invalid service account key: " + ex.GetType().Name, ex));
        }
    }

    private static GoogleCredential CreateServiceAccount(GmailOptions options)
    {
        var json = !string.IsNullOrWhiteSpace(options.ServiceAccountJson)
            ? options.ServiceAccountJson
            : File.ReadAllText(options.ServiceAccountKeyPath!);
        return CredentialFactory.FromJson<ServiceAccountCredential>(json)
            .ToGoogleCredential()
            .CreateScoped(GmailOptions.GmailModifyScope)
            .CreateWithUser(options.UserEmail);
    }

    private GmailApiException Fail(GmailApiException ex)
    {
        Log.TokenFailed(_logger, ex.Kind, ex.StatusCode, ex.Reason);
        return ex;
    }

    private sealed record TokenReply(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("token_type")] string? TokenType,
        [property: JsonPropertyName("error")] string? Error);
}
