using System.Text;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Channels.WebChat;

public sealed class WebChatGuardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly WebChatOptions _options = new();
    private readonly WebChatHub _hub;
    private readonly WebChatGuard _guard;

    public WebChatGuardTests()
    {
        _hub = new WebChatHub(_time, Options.Create(_options));
        _guard = new WebChatGuard(Options.Create(_options), _hub, _time);
    }

    [Fact]
    public void Ten_thousand_junk_sessions_from_one_address_are_refused_after_the_new_session_burst()
    {
        var outcomes = Enumerable.Range(0, 10_000).Select(i => _guard.AdmitPost("203.0.113.7", $"junk-{i:D8}")).ToList();

        Assert.Equal(_options.NewSessionsPerClientBurst, outcomes.Count(o => o == WebChatAdmission.Allowed));
        Assert.Equal(10_000 - _options.NewSessionsPerClientBurst, outcomes.Count(o => o == WebChatAdmission.RateLimited));
        Assert.Equal(_options.NewSessionsPerClientBurst, _hub.SessionCount);

        // A minute later the address may open sessions again, at the steady rate.
        _time.Advance(TimeSpan.FromMinutes(1));
        var later = Enumerable.Range(0, 100).Count(i => _guard.AdmitPost("203.0.113.7", $"later-{i:D8}") == WebChatAdmission.Allowed);
        Assert.InRange(later, 1, (int)Math.Ceiling(_options.NewSessionsPerClientPerMinute));
    }

    [Fact]
    public void Ten_thousand_junk_sessions_from_ten_thousand_addresses_are_refused_after_the_overall_burst()
    {
        var allowed = Enumerable.Range(0, 10_000).Count(i => _guard.AdmitPost($"10.0.{i / 256}.{i % 256}", $"spread-{i:D8}") == WebChatAdmission.Allowed);

        Assert.Equal(_options.NewSessionsBurst, allowed);
        Assert.Equal(_options.NewSessionsBurst, _hub.SessionCount);
    }

    [Fact]
    public void One_session_is_limited_to_its_burst_and_refills_with_time()
    {
        var allowed = Enumerable.Range(0, 100).Count(_ => _guard.AdmitPost("198.51.100.1", "chatty-session-1") == WebChatAdmission.Allowed);
        Assert.Equal(_options.SessionBurst, allowed);

        _time.Advance(TimeSpan.FromSeconds(60 / _options.SessionPerMinute));
        Assert.Equal(WebChatAdmission.Allowed, _guard.AdmitPost("198.51.100.1", "chatty-session-1"));
        Assert.Equal(WebChatAdmission.RateLimited, _guard.AdmitPost("198.51.100.1", "chatty-session-1"));
    }

    [Fact]
    public void When_every_slot_holds_a_recent_session_new_ones_are_refused_and_idle_ones_make_room()
    {
        var options = new WebChatOptions { MaxSessions = 10, NewSessionsPerClientBurst = 1000, NewSessionsBurst = 1000, ClientBurst = 1000 };
        var hub = new WebChatHub(_time, Options.Create(options));
        var guard = new WebChatGuard(Options.Create(options), hub, _time);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(WebChatAdmission.Allowed, guard.AdmitPost("192.0.2.1", $"session-{i:D4}"));
        }

        Assert.Equal(WebChatAdmission.Full, guard.AdmitPost("192.0.2.1", "session-late"));

        _time.Advance(TimeSpan.FromMinutes(options.SessionIdleMinutes + 1));
        Assert.Equal(WebChatAdmission.Allowed, guard.AdmitPost("192.0.2.1", "session-late"));
        Assert.True(hub.SessionCount <= options.MaxSessions);
    }

    [Theory]
    [InlineData("{\"text\":\"hola\"}", null)]
    [InlineData("{\"text\":\"   \"}", "Invalid message")]
    [InlineData("{\"text\":42}", "Invalid message")]
    [InlineData("[\"hola\"]", "Invalid message")]
    [InlineData("not json", "Invalid message")]
    [InlineData("{\"text\":\"hola\",\"id\":\"has space\"}", "Invalid id")]
    public void Posted_bodies_are_validated(string body, string? rejection)
    {
        var result = _guard.Validate(Encoding.UTF8.GetBytes(body), out var post);

        Assert.Equal(rejection, result?.Title);
        Assert.Equal(rejection is null, post is not null);
    }

    [Fact]
    public void Fields_over_their_limits_and_invalid_utf8_are_refused()
    {
        Assert.Equal("Invalid name", _guard.Validate(Encoding.UTF8.GetBytes($"{{\"text\":\"hola\",\"name\":\"{new string('a', _options.MaxNameChars + 1)}\"}}"), out _)?.Title);
        Assert.Equal("Invalid message", _guard.Validate(Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('a', _options.MaxTextChars + 1)}\"}}"), out _)?.Title);
        Assert.Equal("Invalid id", _guard.Validate(Encoding.UTF8.GetBytes($"{{\"text\":\"hola\",\"id\":\"{new string('a', _options.MaxMessageIdChars + 1)}\"}}"), out _)?.Title);
        Assert.NotNull(_guard.Validate([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'], out _));
        Assert.Null(_guard.Validate(Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('a', _options.MaxTextChars)}\",\"name\":\"{new string('ñ', _options.MaxNameChars)}\"}}"), out _));
    }

    [Fact]
    public async Task Reading_an_unknown_session_opens_nothing_and_returns_its_replies_once_it_exists()
    {
        var guestId = WebChatSessions.GuestId("reader-000001");
        var read = _hub.ReadAsync(guestId, 0, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.Equal(0, _hub.SessionCount);

        await _hub.SendAsync(new OutboundMessage(Channel.WebChat, guestId, new Reply("hola"), "k1"), CancellationToken.None);

        Assert.Equal("hola", Assert.Single(await read).Text);
    }
}
