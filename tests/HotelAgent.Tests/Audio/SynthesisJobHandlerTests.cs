using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Audio;

[Collection(AudioToolsCollection.Name)]
public sealed class SynthesisJobHandlerTests
{
    private readonly FakeVoiceNoteSender _voice = new();

    private static SynthesisJob Job(string text = "Tu reserva quedó confirmada. ¡Te esperamos!") => new()
    {
        Channel = Channel.WhatsApp,
        GuestId = "+5491155550123",
        Text = text,
        Language = "es",
        IdempotencyKey = "wamid.HBgM123:reply:0:voice",
    };

    private SynthesisJobHandler Handler(ITextToSpeech tts, SynthesizedAudioCache? cache = null, AudioStatus? status = null, AudioOptions? options = null)
    {
        options ??= new AudioOptions();
        cache ??= new SynthesizedAudioCache(Options.Create(options), NullLogger<SynthesizedAudioCache>.Instance);
        return new SynthesisJobHandler(tts, cache, _voice, status ?? TranscriptionJobHandlerTests.AllWorking(), Options.Create(options), NullLogger<SynthesisJobHandler>.Instance);
    }

    [Fact]
    public async Task Reply_is_synthesized_with_espeak_and_sent_as_a_valid_voice_note()
    {
        var sent = await Handler(AudioTestSupport.Espeak()).HandleAsync(Job(), CancellationToken.None);

        Assert.True(sent);
        var note = Assert.Single(_voice.Sent);
        Assert.Equal("+5491155550123", note.GuestId);
        Assert.Equal("wamid.HBgM123:reply:0:voice", note.IdempotencyKey);
        var info = OggOpusInspector.Inspect(note.Audio);
        Assert.True(info.IsValid, info.Error);
        Assert.InRange(info.Duration.TotalSeconds, 1, 10);
    }

    [Fact]
    public async Task Repeated_phrase_is_served_from_the_cache()
    {
        var tts = new CountingTextToSpeech(AudioTestSupport.Espeak());
        var handler = Handler(tts);

        await handler.HandleAsync(Job("Con gusto."), CancellationToken.None);
        await handler.HandleAsync(Job("Con gusto.") with { IdempotencyKey = "other" }, CancellationToken.None);
        await handler.HandleAsync(Job("Hasta luego."), CancellationToken.None);

        Assert.Equal(2, tts.Calls);
        var notes = _voice.Sent.ToArray();
        Assert.Equal(3, notes.Length);
        Assert.Equal(notes[0].Audio, notes[1].Audio);
    }

    [Fact]
    public async Task Synthesis_failure_only_logs_and_sends_nothing()
    {
        var tts = new CountingTextToSpeech { Throw = () => new InvalidOperationException("espeak-ng crashed") };

        var sent = await Handler(tts).HandleAsync(Job(), CancellationToken.None);

        Assert.False(sent);
        Assert.Empty(_voice.Sent);
    }

    [Fact]
    public async Task Output_that_is_not_ogg_opus_is_not_sent_nor_cached()
    {
        var tts = new CountingTextToSpeech { FixedOutput = "RIFF....WAVEfmt "u8.ToArray() };
        var handler = Handler(tts);

        Assert.False(await handler.HandleAsync(Job(), CancellationToken.None));
        Assert.False(await handler.HandleAsync(Job(), CancellationToken.None));

        Assert.Empty(_voice.Sent);
        Assert.Equal(2, tts.Calls);
    }

    [Fact]
    public async Task Output_over_the_size_limit_is_not_sent()
    {
        var tts = new CountingTextToSpeech { FixedOutput = await AudioTestSupport.SpanishVoiceNoteAsync() };

        var sent = await Handler(tts, options: new AudioOptions { MaxOutputBytes = 1024 }).HandleAsync(Job(), CancellationToken.None);

        Assert.False(sent);
        Assert.Empty(_voice.Sent);
    }

    [Fact]
    public async Task Send_failure_throws_so_the_queue_retries()
    {
        var tts = new CountingTextToSpeech { FixedOutput = await AudioTestSupport.SpanishVoiceNoteAsync() };
        _voice.FailuresBeforeSuccess = 1;
        var handler = Handler(tts);

        await Assert.ThrowsAsync<HttpRequestException>(() => handler.HandleAsync(Job(), CancellationToken.None));
        Assert.True(await handler.HandleAsync(Job(), CancellationToken.None));

        Assert.Equal(1, tts.Calls);
        Assert.Single(_voice.Sent);
    }

    [Fact]
    public async Task Disabled_synthesis_skips_quietly()
    {
        var tts = new CountingTextToSpeech { FixedOutput = [1] };
        var status = TranscriptionJobHandlerTests.AllWorking() with { CanSynthesize = false };

        Assert.False(await Handler(tts, status: status).HandleAsync(Job(), CancellationToken.None));
        Assert.Equal(0, tts.Calls);
    }

    [Fact]
    public async Task Too_long_reply_is_not_spoken()
    {
        var tts = new CountingTextToSpeech { FixedOutput = [1] };

        Assert.False(await Handler(tts, options: new AudioOptions { MaxSynthesisCharacters = 10 }).HandleAsync(Job(), CancellationToken.None));
        Assert.Equal(0, tts.Calls);
    }
}
