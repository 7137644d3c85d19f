using System.Net;
using System.Text;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Functions.WhatsApp;

/// <summary>The standalone host in-process, a loopback fake Graph API, and real signed Cloud API webhooks.</summary>
public sealed class WhatsAppWebhookEndToEndTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private StandaloneHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _host = await StandaloneHost.StartAsync(_graph.WhatsAppSettings(StandaloneHost.AccessToken, StandaloneHost.AppSecret, StandaloneHost.VerifyToken, StandaloneHost.PhoneNumberId));
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    public static string TextWebhook(string wamid, string from, string name, string text, long? timestamp = null) => $$"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"{{StandaloneHost.PhoneNumberId}}"},
        "contacts":[{"profile":{"name":"{{name}}"},"wa_id":"{{from}}"}],
        "messages":[{"from":"{{from}}","id":"{{wamid}}","timestamp":"{{timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}","text":{"body":"{{text}}"},"type":"text"}]},"field":"messages"}]}]}
        """;

    private async Task<HttpResponseMessage> PostSigned(string body, string? secret = StandaloneHost.AppSecret, string? overrideSignature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var signature = overrideSignature ?? (secret is null ? null : WhatsAppSignature.Compute(bytes, secret));
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task Signed_hola_gets_a_spanish_greeting_through_the_cloud_api()
    {
        var response = await PostSigned(TextWebhook("wamid.HBgNNTQ5MTE1NTU1MTIzNBUCABIYFjNFQjBDMEQ1", "5491155551234", "Lucía Fernández", "Hola"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = await _graph.WaitForSentMessageAsync(m => m.Type == "text");
        Assert.Equal("5491155551234", sent.To);
        Assert.Equal("Bearer " + StandaloneHost.AccessToken, sent.Authorization);
        Assert.Equal(StandaloneHost.PhoneNumberId, sent.PhoneNumberId);
        Assert.Contains("Hola", sent.Text, StringComparison.Ordinal);
        Assert.Contains("Hotel Palermo Soho", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_handshake_echoes_the_challenge_only_for_the_right_token()
    {
        var ok = await _client.GetAsync($"/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={StandaloneHost.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.StartsWith("text/plain", ok.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);

        var wrong = await _client.GetAsync("/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var noMode = await _client.GetAsync($"/api/webhooks/whatsapp?hub.verify_token={StandaloneHost.VerifyToken}&hub.challenge=1");
        Assert.Equal(HttpStatusCode.Forbidden, noMode.StatusCode);
    }

    [Fact]
    public async Task Forged_missing_or_tampered_signatures_are_401_and_nothing_is_sent()
    {
        var body = TextWebhook("wamid.forged1", "5491155550000", "Eve", "Hola");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(body, secret: "wrong-secret")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(body, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(body, overrideSignature: "sha256=00")).StatusCode);
        var signedOriginal = WhatsAppSignature.Compute(Encoding.UTF8.GetBytes(body), StandaloneHost.AppSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSigned(body.Replace("Hola", "Hole", StringComparison.Ordinal), overrideSignature: signedOriginal)).StatusCode);

        // Eve then writes for real: her conversation handles that one message only, and it is all she is answered.
        var eve = new GuestSimulator(_host, _graph, "5491155550000", "Eve");
        Assert.NotEmpty(await eve.SayAsync("Hola", "wamid.real-eve"));
        Assert.Equal(1, await eve.HandledAsync());
        Assert.All(_graph.SentMessages, m => Assert.StartsWith("wamid.real-eve:", m.CallbackData, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_but_signed_bodies_are_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await PostSigned("{not json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostSigned("""{"object":"page","entry":[]}""")).StatusCode);
    }

    [Fact]
    public async Task Statuses_only_callbacks_are_acknowledged_and_never_answered()
    {
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},
            "statuses":[{"id":"wamid.out1","status":"delivered","timestamp":"1763700000","recipient_id":"5491155551234"}]},"field":"messages"}]}]}
            """;

        Assert.Equal(HttpStatusCode.OK, (await PostSigned(body)).StatusCode);

        // The recipient then writes: only that message is answered.
        var guest = new GuestSimulator(_host, _graph, "5491155551234");
        Assert.NotEmpty(await guest.SayAsync("Hola", "wamid.after-status"));
        Assert.Equal(1, await guest.HandledAsync());
        Assert.All(_graph.SentMessages, m => Assert.StartsWith("wamid.after-status:", m.CallbackData, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_message_is_answered_once()
    {
        var body = TextWebhook("wamid.dup-1", "5491155559999", "Juan", "Hola");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostSigned(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // The guest's next message is the signal: once it is handled, so was everything before it.
        var guest = new GuestSimulator(_host, _graph, "5491155559999", "Juan");
        await guest.WaitForHandledAsync(1);
        await guest.SayAsync("gracias", "wamid.after-dup");
        Assert.Equal(2, await guest.HandledAsync());
        Assert.Single(_graph.SentMessages, m => m.Type == "text" && m.CallbackData!.StartsWith("wamid.dup-1:", StringComparison.Ordinal));
    }
}
