using System.Net;
using System.Text;
using HotelAgent.Core.Audio;
using HotelAgent.Tests.Fakes.Audio;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// A WhatsApp voice note through the whole standalone host: signed webhook → transcription queue → loopback
/// OpenAI-compatible transcription → conversation orchestration with real NLU, dialog and PMS prices → text reply
/// plus a real eSpeak NG Ogg/Opus voice note uploaded and sent through the (fake) Graph API.
/// </summary>
public sealed class VoiceNoteEndToEndTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private FakeOpenAiAudioServer _openAi = null!;
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _openAi = await FakeOpenAiAudioServer.StartAsync();
        var settings = ConversationEndToEndTests.Settings(_graph);
        settings["OpenAI:Endpoint"] = _openAi.BaseUrl;
        settings["OpenAI:ApiKey"] = "sk-loopback";
        settings["Audio:SynthesisEngine"] = "espeak";
        _host = await StandaloneHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _openAi.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostSignedAsync(string body)
    {
        using var client = _host.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp") { Content = content };
        request.Headers.Add("X-Hub-Signature-256", WhatsAppWebhookSamples.Sign(body, StandaloneHost.AppSecret));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Spanish_voice_note_gets_a_priced_text_reply_and_a_real_ogg_opus_voice_reply_once()
    {
        const string waId = "5491155550901";
        var stay = ConversationEndToEndTests.FutureStay();
        _openAi.TranscriptText = $"Hola, ¿tienen habitación para dos personas {stay.Spanish}?";
        var mediaId = _graph.AddMedia(await AudioTestSupport.SpanishVoiceNoteAsync());
        var webhook = WhatsAppWebhookSamples.VoiceNote(mediaId, waId);

        var response = await PostSignedAsync(webhook);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        FakeSentMessage text;
        try
        {
            text = await _graph.WaitForSentMessageAsync(m => m.To == waId && m.Text is { } t && t.Contains("Habitación Doble", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // The reply text (plain or the body of an interactive list) must come; say what was sent instead.
            throw new Xunit.Sdk.XunitException($"No priced reply. Transcriptions: {_openAi.Transcriptions.Count}; sent: "
                + string.Join(" | ", _graph.SentMessages.Select(m => m.Body.GetRawText())) + "; requests: " + string.Join(" | ", _graph.Requests.Select(r => r.Method + " " + r.Path)));
        }

        Assert.Contains("ARS 95.000", text.Text, StringComparison.Ordinal);
        Assert.Contains("ARS 190.000", text.Text, StringComparison.Ordinal);
        var transcription = Assert.Single(_openAi.Transcriptions);
        Assert.Equal("es", transcription.Fields["language"]);

        var audio = await _graph.WaitForSentMessageAsync(m => m.To == waId && m.Type == "audio", TimeSpan.FromSeconds(90));
        var upload = Assert.Single(_graph.UploadedMedia);
        Assert.Equal(upload.Id, audio.Body.GetProperty("audio").GetProperty("id").GetString());
        var info = OggOpusInspector.Inspect(upload.Content);
        Assert.True(info.IsValid, info.Error);
        Assert.True(info.Duration > TimeSpan.FromSeconds(0.5), $"Voice reply lasts only {info.Duration}.");
        Assert.StartsWith("audio/ogg", upload.FileContentType ?? string.Empty, StringComparison.Ordinal);

        // Meta redelivers the same voice note: acknowledged, but nothing is transcribed, answered or spoken again.
        var sentBefore = _graph.SentMessages.Count(m => m.To == waId);
        var again = await PostSignedAsync(webhook);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(sentBefore, _graph.SentMessages.Count(m => m.To == waId));
        Assert.Single(_openAi.Transcriptions);
        Assert.Single(_graph.UploadedMedia);
    }
}
