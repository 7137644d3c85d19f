using System.Collections.Concurrent;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Fakes.Audio;

/// <summary>Serves fixed media bytes, or throws <see cref="MediaTooLargeException"/> when they exceed the limit.</summary>
public sealed class FakeMediaDownloader : IMediaDownloader
{
    public byte[] Content { get; set; } = [];

    public string MimeType { get; set; } = "audio/ogg; codecs=opus";

    /// <summary>Pretend the provider reported this size (to trigger the limit without a big array).</summary>
    public long? ReportedSize { get; set; }

    public List<(Channel Channel, string MediaId, long MaxBytes)> Calls { get; } = [];

    public Task<DownloadedMedia> DownloadAsync(Channel channel, string mediaId, long maxBytes, CancellationToken cancellationToken)
    {
        Calls.Add((channel, mediaId, maxBytes));
        if ((ReportedSize ?? Content.LongLength) > maxBytes)
        {
            throw new MediaTooLargeException(maxBytes);
        }

        return Task.FromResult(new DownloadedMedia(Content, MimeType));
    }
}

/// <summary>Captures voice notes; can fail the first N sends.</summary>
public sealed class FakeVoiceNoteSender : IVoiceNoteSender
{
    private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(Channel Channel, string GuestId, byte[] Audio, string IdempotencyKey)> Sent { get; } = new();

    public int FailuresBeforeSuccess { get; set; }

    public int Attempts { get; private set; }

    public Task FirstSent => _firstSent.Task;

    public Task SendVoiceNoteAsync(Channel channel, string guestId, byte[] oggOpus, string idempotencyKey, CancellationToken cancellationToken)
    {
        Attempts++;
        if (Attempts <= FailuresBeforeSuccess)
        {
            throw new HttpRequestException("WhatsApp media upload failed (fake).");
        }

        Sent.Enqueue((channel, guestId, oggOpus, idempotencyKey));
        _firstSent.TrySetResult();
        return Task.CompletedTask;
    }
}

/// <summary>Captures what reaches the receptionist.</summary>
public sealed class FakeInboundMessageSink : IInboundMessageSink
{
    private readonly TaskCompletionSource<InboundMessage> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<InboundMessage> Accepted { get; } = new();

    public Task<InboundMessage> First => _first.Task;

    public Task<InboundOutcome> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        Accepted.Enqueue(message);
        _first.TrySetResult(message);
        return Task.FromResult(InboundOutcome.Accepted);
    }
}

/// <summary>Captures guest-facing replies on one channel.</summary>
public sealed class FakeChannelSender(Channel channel = Channel.WhatsApp) : IChannelSender
{
    public Channel Channel { get; } = channel;

    public ConcurrentQueue<OutboundMessage> Sent { get; } = new();

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        Sent.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>Returns a fixed transcript or throws; counts calls.</summary>
public sealed class FakeSpeechToText : ISpeechToText
{
    public string Transcript { get; set; } = "Hola, quiero reservar una habitación doble para el viernes.";

    public Func<Exception>? Throw { get; set; }

    public int Calls { get; private set; }

    public string? LastLanguage { get; private set; }

    public string EngineName => "fake-stt";

    public Task<string> TranscribeAsync(byte[] audio, string mimeType, string languageHint, CancellationToken cancellationToken)
    {
        Calls++;
        LastLanguage = languageHint;
        if (Throw is not null)
        {
            throw Throw();
        }

        return Task.FromResult(Transcript);
    }
}

/// <summary>Wraps an engine (or fixed bytes) and counts synthesis calls.</summary>
public sealed class CountingTextToSpeech(ITextToSpeech? inner = null) : ITextToSpeech
{
    private int _calls;

    public byte[]? FixedOutput { get; set; }

    public Func<Exception>? Throw { get; set; }

    public int Calls => _calls;

    public string EngineName => inner?.EngineName ?? "counting";

    public string VoiceFor(string language) => inner?.VoiceFor(language) ?? "test-voice";

    public Task<byte[]> SynthesizeAsync(string text, string language, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Throw is not null)
        {
            throw Throw();
        }

        if (FixedOutput is not null)
        {
            return Task.FromResult(FixedOutput);
        }

        return inner!.SynthesizeAsync(text, language, cancellationToken);
    }
}
