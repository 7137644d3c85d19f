using HotelAgent.Core.Audio;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Audio;

[Collection(AudioToolsCollection.Name)]
public sealed class OpenAiAudioTests
{
    private static IHttpClientFactory HttpClients() => new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

    private static OpenAiAudioOptions OpenAi(FakeOpenAiAudioServer server) => new() { Endpoint = server.BaseUrl, ApiKey = "sk-test-key" };

    [Fact]
    public async Task Transcription_posts_model_language_and_file_as_multipart_and_returns_the_text()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        var stt = new OpenAiSpeechToText(Options.Create(OpenAi(server)), Options.Create(new AudioOptions()), HttpClients());
        var audio = await AudioTestSupport.SpanishVoiceNoteAsync();

        var text = await stt.TranscribeAsync(audio, "audio/ogg; codecs=opus", "es", CancellationToken.None);

        Assert.Equal(server.TranscriptText, text);
        var request = Assert.Single(server.Transcriptions);
        Assert.Equal("Bearer sk-test-key", request.Authorization);
        Assert.Equal("gpt-4o-mini-transcribe", request.Fields["model"]);
        Assert.Equal("es", request.Fields["language"]);
        Assert.Equal("voice-note.ogg", request.FileName);
        Assert.Equal(audio, request.File);
        Assert.Equal("openai:gpt-4o-mini-transcribe", stt.EngineName);
    }

    [Fact]
    public async Task Transcription_model_comes_from_settings()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        var options = OpenAi(server);
        options.TranscriptionModel = "whisper-1";
        var stt = new OpenAiSpeechToText(Options.Create(options), Options.Create(new AudioOptions()), HttpClients());

        await stt.TranscribeAsync([1, 2, 3], "audio/mpeg", "es", CancellationToken.None);

        var request = Assert.Single(server.Transcriptions);
        Assert.Equal("whisper-1", request.Fields["model"]);
        Assert.Equal("voice-note.mp3", request.FileName);
    }

    [Fact]
    public async Task Endpoint_with_a_trailing_slash_works_like_the_azure_v1_form()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        var options = OpenAi(server);
        options.Endpoint = server.BaseUrl + "/";
        var stt = new OpenAiSpeechToText(Options.Create(options), Options.Create(new AudioOptions()), HttpClients());

        Assert.Equal(server.TranscriptText, await stt.TranscribeAsync([1, 2, 3], "audio/ogg", "es", CancellationToken.None));
    }

    [Fact]
    public async Task Endpoint_rejecting_the_file_is_a_permanent_audio_rejection()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        server.TranscriptionErrorStatus = 400;
        var stt = new OpenAiSpeechToText(Options.Create(OpenAi(server)), Options.Create(new AudioOptions()), HttpClients());

        await Assert.ThrowsAsync<AudioRejectedException>(() => stt.TranscribeAsync([1, 2, 3], "audio/ogg", "es", CancellationToken.None));
    }

    [Fact]
    public async Task Server_error_is_transient_and_propagates()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        server.TranscriptionErrorStatus = 500;
        var stt = new OpenAiSpeechToText(Options.Create(OpenAi(server)), Options.Create(new AudioOptions()), HttpClients());

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => stt.TranscribeAsync([1, 2, 3], "audio/ogg", "es", CancellationToken.None));
        Assert.IsNotType<AudioRejectedException>(ex);
    }

    [Fact]
    public async Task Speech_requests_opus_with_the_configured_model_and_voice()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        server.SpeechAudio = await AudioTestSupport.SpanishVoiceNoteAsync();
        var options = OpenAi(server);
        options.Voice = "coral";
        var tts = new OpenAiTextToSpeech(Options.Create(options), Options.Create(new AudioOptions()), HttpClients());

        var audio = await tts.SynthesizeAsync("¡Hola! Te esperamos.", "es", CancellationToken.None);

        Assert.Equal(server.SpeechAudio, audio);
        var body = Assert.Single(server.SpeechRequests);
        Assert.Equal("gpt-4o-mini-tts", body.GetProperty("model").GetString());
        Assert.Equal("coral", body.GetProperty("voice").GetString());
        Assert.Equal("opus", body.GetProperty("response_format").GetString());
        Assert.Equal("¡Hola! Te esperamos.", body.GetProperty("input").GetString());
        Assert.Equal("coral", tts.VoiceFor("es"));
    }

    [Theory]
    [InlineData("audio/ogg; codecs=opus", "voice-note.ogg")]
    [InlineData("audio/mp4", "voice-note.m4a")]
    [InlineData("audio/AMR", "voice-note.amr")]
    [InlineData(null, "voice-note.ogg")]
    public void Upload_file_name_follows_the_mime_type(string? mime, string expected) =>
        Assert.Equal(expected, OpenAiSpeechToText.FileNameFor(mime));
}
