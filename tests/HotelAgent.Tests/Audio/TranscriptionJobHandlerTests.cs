using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Audio;

[Collection(AudioToolsCollection.Name)]
public sealed class TranscriptionJobHandlerTests
{
    private readonly FakeMediaDownloader _downloader = new();
    private readonly FakeSpeechToText _stt = new();
    private readonly FakeInboundMessageSink _sink = new();
    private readonly FakeChannelSender _replies = new();

    internal static AudioStatus AllWorking() =>
        new(true, true, true, "fake-stt", "fake-tts", string.Empty, new AudioCapabilities(true, "test", "espeak-ng", "opusenc", OpusEncoderKind.OpusEnc));

    internal static TranscriptionJob Job() => new()
    {
        Channel = Channel.WhatsApp,
        GuestId = "+5491155550123",
        DisplayName = "Lucía",
        MediaId = "media-123",
        MimeType = "audio/ogg; codecs=opus",
        ProviderMessageId = "wamid.HBgM123",
        Timestamp = new DateTimeOffset(2026, 11, 21, 15, 30, 0, TimeSpan.Zero),
        ChannelContext = new Dictionary<string, string> { ["phoneNumberId"] = "1098" },
    };

    private TranscriptionJobHandler Handler(AudioOptions? options = null, AudioStatus? status = null) =>
        new(_downloader, _stt, _sink, [_replies], status ?? AllWorking(), Options.Create(options ?? new AudioOptions()), NullLogger<TranscriptionJobHandler>.Instance);

    [Fact]
    public async Task Voice_note_is_transcribed_and_fed_to_the_sink_as_an_audio_message()
    {
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();

        await Handler().HandleAsync(Job(), CancellationToken.None);

        var message = Assert.Single(_sink.Accepted);
        Assert.Equal(InboundKind.Audio, message.Kind);
        Assert.True(message.IsVoice);
        Assert.Equal(_stt.Transcript, message.Text);
        Assert.Equal("wamid.HBgM123", message.ProviderMessageId);
        Assert.Equal("+5491155550123", message.GuestId);
        Assert.Equal("Lucía", message.DisplayName);
        Assert.Equal("media-123", message.MediaId);
        Assert.Equal(Job().Timestamp, message.Timestamp);
        Assert.Equal("1098", message.ChannelContext["phoneNumberId"]);
        Assert.Equal("es", _stt.LastLanguage);
        Assert.Empty(_replies.Sent);
        Assert.Equal(AudioOptions.WhatsAppMaxAudioBytes, Assert.Single(_downloader.Calls).MaxBytes);
    }

    [Fact]
    public async Task Oversized_media_gets_a_guest_facing_answer_and_nothing_reaches_the_sink()
    {
        _downloader.ReportedSize = 17L * 1024 * 1024;

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(0, _stt.Calls);
        var reply = Assert.Single(_replies.Sent);
        Assert.Equal("Tu audio es muy largo, ¿me lo podés escribir o mandar uno más corto?", reply.Reply.Text);
        Assert.Equal("+5491155550123", reply.GuestId);
        Assert.Equal(Channel.WhatsApp, reply.Channel);
        Assert.Equal("wamid.HBgM123:audio-rejected", reply.IdempotencyKey);
    }

    [Fact]
    public async Task Corrupt_ogg_gets_a_guest_facing_answer_without_transcribing()
    {
        var ogg = await AudioTestSupport.SpanishVoiceNoteAsync();
        _downloader.Content = ogg[..(ogg.Length / 2)];

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(0, _stt.Calls);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.Unreadable), Assert.Single(_replies.Sent).Reply.Text);
    }

    [Fact]
    public async Task Garbage_labelled_as_ogg_is_rejected()
    {
        _downloader.Content = "this is not audio at all"u8.ToArray();

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.Unreadable), Assert.Single(_replies.Sent).Reply.Text);
    }

    [Fact]
    public async Task Voice_note_longer_than_the_limit_is_rejected_as_too_long()
    {
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();

        await Handler(new AudioOptions { MaxInputSeconds = 2 }).HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(0, _stt.Calls);
        Assert.StartsWith("Tu audio es muy largo", Assert.Single(_replies.Sent).Reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_rejecting_the_audio_gets_a_guest_facing_answer()
    {
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();
        _stt.Throw = () => new AudioRejectedException("bad file");

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.Unreadable), Assert.Single(_replies.Sent).Reply.Text);
    }

    [Fact]
    public async Task Empty_transcript_asks_the_guest_to_write()
    {
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();
        _stt.Transcript = "  ";

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_sink.Accepted);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.NotUnderstood), Assert.Single(_replies.Sent).Reply.Text);
    }

    [Fact]
    public async Task Transient_engine_failure_throws_so_the_queue_retries()
    {
        _downloader.Content = await AudioTestSupport.SpanishVoiceNoteAsync();
        _stt.Throw = () => new HttpRequestException("503");

        await Assert.ThrowsAsync<HttpRequestException>(() => Handler().HandleAsync(Job(), CancellationToken.None));

        Assert.Empty(_sink.Accepted);
        Assert.Empty(_replies.Sent);
    }

    [Fact]
    public async Task Without_a_transcription_engine_the_guest_is_asked_to_write()
    {
        var status = AllWorking() with { CanTranscribe = false, TranscriptionEngine = "none" };

        await Handler(status: status).HandleAsync(Job(), CancellationToken.None);

        Assert.Empty(_downloader.Calls);
        Assert.Equal(AudioGuestTexts.For(AudioRejection.Unavailable), Assert.Single(_replies.Sent).Reply.Text);
    }

    [Fact]
    public async Task Non_ogg_audio_skips_the_ogg_check_and_is_transcribed()
    {
        _downloader.Content = [0xFF, 0xF3, 0x44, 0xC4, 1, 2, 3];
        _downloader.MimeType = "audio/mpeg";

        await Handler().HandleAsync(Job(), CancellationToken.None);

        Assert.Single(_sink.Accepted);
    }
}
