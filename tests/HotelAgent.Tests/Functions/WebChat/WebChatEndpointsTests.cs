using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Functions.WebChat;

/// <summary>The web chat's limits through the real standalone host: fields, bodies, rates and the session cap.</summary>
public sealed class WebChatEndpointsTests : IAsyncLifetime
{
    // The guard's rate limits run on this clock, which no test moves: what is admitted does not depend on how long the
    // machine takes to send 10,000 requests.
    private readonly FakeTimeProvider _guardClock = new(DateTimeOffset.UtcNow);
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(configureServices: services =>
        services.Replace(ServiceDescriptor.Singleton(sp => new WebChatGuard(sp.GetRequiredService<IOptions<WebChatOptions>>(), sp.GetRequiredService<WebChatHub>(), _guardClock))));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_million_character_name_is_refused_with_413_a_long_one_with_400_and_neither_opens_a_session()
    {
        using var http = _host.CreateClient();

        using var response = await http.PostAsJsonAsync("/api/webchat/huge-name-000001/messages", new { text = "hola", name = new string('A', 1_000_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var small = await http.PostAsJsonAsync("/api/webchat/huge-name-000001/messages", new { text = "hola", name = new string('A', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Equal("application/problem+json", small.Content.Headers.ContentType?.MediaType);
        Assert.Contains("100", await small.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _host.Services.GetRequiredService<WebChatHub>().SessionCount);
    }

    [Theory]
    [InlineData(4097, HttpStatusCode.BadRequest)]
    [InlineData(5 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Oversized_text_gets_a_clear_answer_and_nothing_is_stored(int length, HttpStatusCode expected)
    {
        using var http = _host.CreateClient();
        var before = DirectorySize(_host.DataDirectory);

        for (var i = 0; i < 10; i++)
        {
            using var response = await http.PostAsJsonAsync($"/api/webchat/big-text-{i:D6}/messages", new { text = new string('x', length) });
            Assert.Equal(expected, response.StatusCode);
        }

        Assert.Equal(0, _host.Services.GetRequiredService<WebChatHub>().SessionCount);
        Assert.True(DirectorySize(_host.DataDirectory) - before < 256 * 1024, "the data folder grew");
    }

    [Fact]
    public async Task Ten_thousand_junk_sessions_are_refused_by_the_rate_limit()
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var statuses = new HttpStatusCode[10_000];
        await Parallel.ForEachAsync(Enumerable.Range(0, statuses.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var content = new StringContent("{\"text\":\"hola\"}", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/api/webchat/junk-{i:D8}/messages", content, ct);
            statuses[i] = response.StatusCode;
        });

        // The guard's clock stands still: exactly the per-client burst is admitted, every other request is a clear 429.
        var options = _host.Services.GetRequiredService<IOptions<WebChatOptions>>().Value;
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.Equal(options.NewSessionsPerClientBurst, accepted);
        Assert.Equal(statuses.Length - accepted, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(accepted, _host.Services.GetRequiredService<WebChatHub>().SessionCount);
    }

    [Fact]
    public async Task Reads_of_sessions_nobody_opened_create_nothing_and_bad_queries_are_400()
    {
        using var http = _host.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            var replies = await http.GetFromJsonAsync<JsonElement[]>($"/api/webchat/ghost-{i:D8}/messages?after=0&waitSeconds=0");
            Assert.Empty(replies!);
        }

        using var bad = await http.GetAsync("/api/webchat/ghost-00000001/messages?after=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(0, _host.Services.GetRequiredService<WebChatHub>().SessionCount);
    }

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
