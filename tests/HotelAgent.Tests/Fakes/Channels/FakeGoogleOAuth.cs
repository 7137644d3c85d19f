using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>
/// Loopback stand-in for Google's OAuth2 endpoints, answering with their documented shapes: <c>POST /token</c>
/// (refresh_token and jwt-bearer grants → <c>{access_token, expires_in, token_type, scope}</c>, or 400
/// <c>{"error":"invalid_grant"}</c>) and <c>GET /tokeninfo?access_token=</c> (<c>{email, expires_in, scope}</c>, or
/// 400 <c>{"error_description":"Invalid Value"}</c>), which Dovecot's oauth2 passdb asks to check XOAUTH2 logins.
/// </summary>
public sealed class FakeGoogleOAuth : LoopbackFake
{
    public const string ClientId = "1234-hotelagent.apps.googleusercontent.com";
    public const string ClientSecret = "GOCSPX-test-secret";

    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Email, string Scope)> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _assertions = new();
    private int _tokenRequests;

    private FakeGoogleOAuth()
    {
    }

    public string BaseUrl => Root;

    public string TokenEndpoint => BaseUrl + "/token";

    /// <summary>Tokens issued through <c>POST /token</c>.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>JWT assertions received from service accounts.</summary>
    public IReadOnlyList<string> JwtAssertions => [.. _assertions];

    public static Task<FakeGoogleOAuth> StartAsync() => ListenAsync(new FakeGoogleOAuth());

    /// <summary>A refresh token of <paramref name="email"/> for <see cref="ClientId"/>.</summary>
    public string AddRefreshToken(string email)
    {
        var token = "1//refresh-" + Guid.NewGuid().ToString("N");
        _refreshTokens[token] = email;
        return token;
    }

    /// <summary>An access token for <paramref name="email"/> (what another identity provider would have issued).</summary>
    public string IssueAccessToken(string email, string scope)
    {
        var token = "ya29." + Guid.NewGuid().ToString("N");
        _accessTokens[token] = (email, scope);
        return token;
    }

    /// <summary>Every access token stops working (as after a password change).</summary>
    public void RevokeAccessTokens() => _accessTokens.Clear();

    /// <summary>The refresh token no longer works (invalid_grant).</summary>
    public void RevokeRefreshToken(string refreshToken) => _refreshTokens.TryRemove(refreshToken, out _);

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/token", TokenAsync);
        app.MapGet("/tokeninfo", (HttpRequest request) => TokenInfo(request.Query["access_token"].ToString()));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string? email = null;
        var scope = "https://mail.google.com/";
        switch (form["grant_type"].ToString())
        {
            case "refresh_token":
                if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
                {
                    return Error("invalid_client", "The OAuth client was not found.", 401);
                }

                _refreshTokens.TryGetValue(form["refresh_token"].ToString(), out email);
                break;
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                var assertion = form["assertion"].ToString();
                _assertions.Enqueue(assertion);
                var payload = JsonDocument.Parse(Base64UrlDecode(assertion.Split('.')[1])).RootElement;
                email = payload.TryGetProperty("sub", out var sub) ? sub.GetString() : null;
                scope = payload.TryGetProperty("scope", out var s) ? s.GetString() ?? scope : scope;
                break;
            default:
                return Error("unsupported_grant_type", "Invalid grant_type", 400);
        }

        if (email is null)
        {
            return Error("invalid_grant", "Bad Request", 400);
        }

        Interlocked.Increment(ref _tokenRequests);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = IssueAccessToken(email, scope),
            ["expires_in"] = 3599,
            ["scope"] = scope,
            ["token_type"] = "Bearer",
        });
    }

    private IResult TokenInfo(string accessToken) =>
        _accessTokens.TryGetValue(accessToken, out var owner)
            ? Results.Json(new Dictionary<string, object>
            {
                ["azp"] = ClientId,
                ["aud"] = ClientId,
                ["scope"] = owner.Scope,
                ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["expires_in"] = "3599",
                ["email"] = owner.Email,
                ["email_verified"] = "true",
                ["access_type"] = "offline",
            })
            : Results.Json(new Dictionary<string, string> { ["error_description"] = "Invalid Value" }, statusCode: 400);

    private static IResult Error(string error, string description, int status) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static byte[] Base64UrlDecode(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
