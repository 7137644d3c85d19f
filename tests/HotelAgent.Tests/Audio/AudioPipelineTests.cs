using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Queues;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotelAgent.Tests.Audio;

/// <summary>The audio functions wired by the registration methods and run by the standalone queue, end to end.</summary>
[Collection(AudioToolsCollection.Name)]
public sealed class AudioPipelineTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-audio-pipeline-").FullName;
    private readonly FakeVoiceNoteSender _voice = new();
    private readonly FakeInboundMessageSink _sink = new();
    private readonly FakeMediaDownloader _downloader = new();
    private readonly FakeChannelSender _replies = new();
    private ServiceProvider? _provider;

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            foreach (var hosted in _provider.GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await _provider.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private async Task<ServiceProvider> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        settings["HotelAgent:DataDirectory"] = _dir;
        settings["Queues:RetryBackoffSeconds"] = "0";
        settings["Queues:MaxRetryBackoffSeconds"] = "0";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IVoiceNoteSender>(_voice);
        services.AddSingleton<IInboundMessageSink>(_sink);
        services.AddSingleton<IMediaDownloader>(_downloader);
        services.AddSingleton<IChannelSender>(_replies);
        before?.Invoke(services);
        services.AddHotelAgentQueues(configuration);
        services.AddHotelAgentAudio(configuration);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        foreach (var hosted in _provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return _provider;
    }

    [Fact]
    public async Task Synthesis_job_on_the_queue_becomes_a_real_spanish_voice_note()
    {
        var sp = await StartAsync([]);
        var status = sp.GetRequiredService<AudioStatus>();
        Assert.Equal("espeak-ng", status.SynthesisEngine);
        Assert.True(status.CanSynthesize);

        await sp.GetRequiredService<IQueueSender>().EnqueueSynthesisAsync(new SynthesisJob
        {
            Channel = Channel.WhatsApp,
            GuestId = "+5491155550123",
            Text = "Perfecto, te reservé la habitación doble del viernes al domingo.",
            IdempotencyKey = "wamid.A:reply:0:voice",
        });
        await _voice.FirstSent.WaitAsync(Patience);

        var note = Assert.Single(_voice.Sent);
        Assert.Equal("wamid.A:reply:0:voice", note.IdempotencyKey);
        var info = OggOpusInspector.Inspect(note.Audio);
        Assert.True(info.IsValid, info.Error);
        var file = Path.Combine(_dir, "note.ogg");
        await File.WriteAllBytesAsync(file, note.Audio);
        var probed = await AudioTestSupport.FfprobeSecondsAsync(file);
        Assert.InRange(info.Duration.TotalSeconds, Math.Max(1, probed - 0.1), probed + 0.1);
        var inspector = sp.GetRequiredService<IQueueInspector>();
        Assert.True(await Eventually.TrueAsync(async () => await inspector.CountAsync(AudioQueues.Synthesize) == 0, Patience));
    }

    [Fact]
    public async Task Transcription_job_on_the_queue_feeds_the_transcript_from_the_openai_endpoint()
    {
        await using var server = await FakeOpenAiAudioServer.StartAsync();
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();
        var sp = await StartAsync(new() { ["OpenAI:Endpoint"] = server.BaseUrl, ["OpenAI:ApiKey"] = "sk-loopback" });
        Assert.Equal("openai:gpt-4o-mini-transcribe", sp.GetRequiredService<AudioStatus>().TranscriptionEngine);
        Assert.IsType<OpenAiTextToSpeech>(sp.GetRequiredService<ITextToSpeech>());

        await sp.GetRequiredService<IQueueSender>().EnqueueTranscriptionAsync(TranscriptionJobHandlerTests.Job());
        var message = await _sink.First.WaitAsync(Patience);

        Assert.Equal(server.TranscriptText, message.Text);
        Assert.True(message.IsVoice);
        Assert.Equal("wamid.HBgM123", message.ProviderMessageId);
        var request = Assert.Single(server.Transcriptions);
        Assert.Equal("es", request.Fields["language"]);
        Assert.Equal(_downloader.Content, request.File);
    }

    [Fact]
    public async Task Transcription_failing_five_times_lands_in_the_poison_queue()
    {
        var stt = new FakeSpeechToText { Throw = () => new HttpRequestException("transcription endpoint down") };
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();
        var sp = await StartAsync(new() { ["OpenAI:ApiKey"] = "sk-x" }, s => s.AddSingleton<ISpeechToText>(stt));
        var inspector = sp.GetRequiredService<IQueueInspector>();

        await sp.GetRequiredService<IQueueSender>().EnqueueTranscriptionAsync(TranscriptionJobHandlerTests.Job());

        Assert.True(await Eventually.TrueAsync(async () => await inspector.CountAsync("audio-transcribe-poison") == 1, Patience));
        Assert.Equal(5, stt.Calls);
        Assert.Equal(0, await inspector.CountAsync(AudioQueues.Transcribe));
        Assert.Empty(_sink.Accepted);
        var poisoned = Assert.Single(await inspector.PeekAsync("audio-transcribe-poison"));
        Assert.Equal("media-123", AudioJobJson.DeserializeTranscription(poisoned.Text).MediaId);
    }

    [Fact]
    public async Task Missing_tools_and_key_disable_audio_with_a_reason_and_guests_are_asked_to_write()
    {
        var sp = await StartAsync(new() { ["Audio:EspeakPath"] = "no-such-espeak-ng", ["Audio:FfmpegPath"] = "no-such-ffmpeg", ["Audio:OpusEncPath"] = "no-such-opusenc" });
        var status = sp.GetRequiredService<AudioStatus>();
        Assert.False(status.CanSynthesize);
        Assert.False(status.CanTranscribe);
        Assert.Contains("no-such-espeak-ng", status.Reason, StringComparison.Ordinal);
        Assert.Contains("OpenAI__ApiKey", status.Reason, StringComparison.Ordinal);
        Assert.Equal("disabled", status.ToHealthData()["synthesis"]);
        var queue = sp.GetRequiredService<IQueueSender>();
        var inspector = sp.GetRequiredService<IQueueInspector>();

        await queue.EnqueueSynthesisAsync(new SynthesisJob { Channel = Channel.WhatsApp, GuestId = "+1", Text = "Hola", IdempotencyKey = "k" });
        await queue.EnqueueTranscriptionAsync(TranscriptionJobHandlerTests.Job());

        Assert.True(await Eventually.TrueAsync(
            async () => await inspector.CountAsync(AudioQueues.Synthesize) == 0 && await inspector.CountAsync(AudioQueues.Transcribe) == 0,
            Patience));
        Assert.Empty(_voice.Sent);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.Unavailable), Assert.Single(_replies.Sent).Reply.Text);
        Assert.Equal(0, await inspector.CountAsync("audio-synthesize-poison"));
    }

    [Fact]
    public async Task Audio_disabled_by_setting()
    {
        var sp = await StartAsync(new() { ["Audio:Enabled"] = "false", ["OpenAI:ApiKey"] = "sk-x" });

        var status = sp.GetRequiredService<AudioStatus>();

        Assert.False(status.Enabled);
        Assert.False(status.CanTranscribe);
        Assert.False(status.CanSynthesize);
        Assert.Contains("Audio__Enabled", status.Reason, StringComparison.Ordinal);
    }
}
