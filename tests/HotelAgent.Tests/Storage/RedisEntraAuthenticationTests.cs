using System.Text;
using Azure.Core;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace HotelAgent.Tests.Storage;

/// <summary>
/// <c>Redis__HostName</c> with Entra ID against a real redis-server whose ACL user is the identity's object id and whose
/// password is the current token (as Azure Managed Redis checks it): the token is renewed before it expires, live
/// connections are re-AUTHed, and a reconnect after the old token is revoked signs in with the new one.
/// </summary>
public sealed class RedisEntraAuthenticationTests
{
    private const string ObjectId = "6f1c2d3e-0000-4000-8000-00000000abcd";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_token_is_renewed_before_expiry_and_reconnects_use_the_new_one()
    {
        await using var server = await RedisServer.StartAsync();
        await using var admin = await server.AdminAsync();
        var adminServer = admin.GetServer(admin.GetEndPoints()[0]);
        var credential = new SequenceCredential(_time);
        await adminServer.ExecuteAsync("ACL", "SETUSER", ObjectId, "on", ">" + credential.TokenFor(1), "~*", "&*", "+@all");
        await adminServer.ExecuteAsync("ACL", "SETUSER", ObjectId, ">" + credential.TokenFor(2));

        await using var connection = new RedisConnection(
            Options.Create(new RedisOptions { HostName = "127.0.0.1", Port = server.Port, Ssl = false, KeyPrefix = "entra:" }), _time, credential: credential);
        var limits = Options.Create(new RateLimitOptions { Burst = 2, PerMinute = 1 });
        var limiter = new SharedGuestRateLimiter(connection, new GuestRateLimiter(limits, _time), limits, _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<SharedGuestRateLimiter>.Instance);

        Assert.Equal(RateLimitDecision.Allowed, await limiter.AcquireAsync(Channel.WhatsApp, "guest-1"));
        Assert.Equal(1, credential.Calls);
        Assert.Single(Keys(adminServer));
        var authBefore = await AuthCallsAsync(adminServer);

        // Five minutes before the 60-minute token expires, a new token is fetched and every connection re-AUTHs with it.
        _time.Advance(TimeSpan.FromMinutes(55) + TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () => await AuthCallsAsync(adminServer) > authBefore);
        Assert.Equal(2, credential.Calls);
        Assert.Equal(_time.GetUtcNow().AddMinutes(60), connection.TokenExpiresOn);

        // The first token stops working; a dropped connection must come back with the second one.
        await adminServer.ExecuteAsync("ACL", "SETUSER", ObjectId, "<" + credential.TokenFor(1));
        await adminServer.ExecuteAsync("CLIENT", "KILL", "USER", ObjectId);
        await WaitUntilAsync(() => Task.FromResult(connection.IsConnected));
        await WaitUntilAsync(async () =>
        {
            await limiter.AcquireAsync(Channel.WhatsApp, "guest-2");
            return Keys(adminServer).Count == 2;
        });
    }

    [Fact]
    public void The_redis_user_is_the_object_id_claim_of_the_token() =>
        Assert.Equal(ObjectId, RedisConnection.ObjectId(new SequenceCredential(_time).TokenFor(1)));

    private static List<string> Keys(IServer server) => server.Keys(pattern: "entra:*").Select(k => k.ToString()).ToList();

    private static async Task<long> AuthCallsAsync(IServer server)
    {
        var info = (await server.InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(p => p.Key == "cmdstat_auth").Value ?? "calls=0";
        return long.Parse(info.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the Redis connection");
            await Task.Delay(50);
        }
    }

    /// <summary>Hands out token 1, 2, 3... (JWTs with the identity's oid), each valid for an hour from the fake clock.</summary>
    private sealed class SequenceCredential(TimeProvider time) : TokenCredential
    {
        private int _calls;

        public int Calls => _calls;

        public string TokenFor(int n)
        {
            static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"oid\":\"{ObjectId}\",\"n\":{n}}}")}.sig{n}";
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal([RedisConnection.TokenScope], requestContext.Scopes);
            var n = Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(new AccessToken(TokenFor(n), time.GetUtcNow().AddMinutes(60)));
        }
    }
}
