using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Audio;

/// <summary>
/// The <c>TranscribeAudio</c> queue function: download the voice note (size-limited), check it (Ogg/Opus:
/// decodable and not too long), transcribe it, and hand the transcript to the receptionist as an audio
/// message. Unusable audio gets a guest-facing answer and feeds nothing; transient failures throw so the
/// queue retries (and finally poisons) the job.
/// </summary>
public sealed class TranscriptionJobHandler(
    IMediaDownloader downloader,
    ISpeechToText speechToText,
    IInboundMessageSink sink,
    IEnumerable<IChannelSender> senders,
    AudioStatus status,
    IOptions<AudioOptions> options,
    ILogger<TranscriptionJobHandler> logger,
    Observability.HotelAgentMetrics? metrics = null)
{
    private readonly AudioOptions _options = options.Value;

    /// <summary>Handles one job (the queue message, deserialized).</summary>
    public async Task HandleAsync(TranscriptionJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var outcome = await TranscribeAsync(job, cancellationToken);
            metrics?.RecordAudioJob("transcribe", outcome);
        }
        catch
        {
            metrics?.RecordAudioJob("transcribe", "failure"); // thrown on: the queue retries, then poisons
            throw;
        }
    }

    /// <returns><c>success</c> (fed into the conversation) or <c>skipped</c> (the guest was told why not).</returns>
    private async Task<string> TranscribeAsync(TranscriptionJob job, CancellationToken cancellationToken)
    {
        if (!status.CanTranscribe)
        {
            await RejectAsync(job, AudioRejection.Unavailable, cancellationToken);
            return "skipped";
        }

        DownloadedMedia media;
        try
        {
            media = await downloader.DownloadAsync(job.Channel, job.MediaId, _options.MaxInputBytes, cancellationToken);
        }
        catch (MediaTooLargeException)
        {
            await RejectAsync(job, AudioRejection.TooLong, cancellationToken);
            return "skipped";
        }

        if (media.Content.LongLength > _options.MaxInputBytes)
        {
            await RejectAsync(job, AudioRejection.TooLong, cancellationToken);
            return "skipped";
        }

        if (media.Content.Length == 0)
        {
            await RejectAsync(job, AudioRejection.Unreadable, cancellationToken);
            return "skipped";
        }

        var mimeType = string.IsNullOrWhiteSpace(media.MimeType) ? job.MimeType ?? "audio/ogg" : media.MimeType;
        var seconds = 0d;
        if (IsOgg(mimeType) || OggOpusInspector.LooksLikeOgg(media.Content))
        {
            var info = OggOpusInspector.Inspect(media.Content);
            if (!info.IsValid || info.Duration <= TimeSpan.Zero)
            {
                await RejectAsync(job, AudioRejection.Unreadable, cancellationToken);
                return "skipped";
            }

            if (info.Duration.TotalSeconds > _options.MaxInputSeconds)
            {
                await RejectAsync(job, AudioRejection.TooLong, cancellationToken);
                return "skipped";
            }

            seconds = info.Duration.TotalSeconds;
        }

        string transcript;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.Timeout);
            try
            {
                transcript = await speechToText.TranscribeAsync(media.Content, mimeType, _options.TranscriptionLanguage, timeout.Token);
            }
            catch (AudioRejectedException)
            {
                await RejectAsync(job, AudioRejection.Unreadable, cancellationToken);
                return "skipped";
            }
            catch (AudioUnavailableException)
            {
                await RejectAsync(job, AudioRejection.Unavailable, cancellationToken);
                return "skipped";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Transcription did not finish within {_options.TimeoutSeconds} s.");
            }
        }

        transcript = transcript.Trim();
        if (transcript.Length == 0)
        {
            await RejectAsync(job, AudioRejection.NotUnderstood, cancellationToken);
            return "skipped";
        }

        Log.Transcribed(logger, job.ProviderMessageId, PiiMask.Contact(job.GuestId), media.Content.Length, seconds, transcript.Length, speechToText.EngineName);
        var message = new InboundMessage(job.Channel, job.GuestId, job.DisplayName, transcript, job.ProviderMessageId, job.Timestamp)
        {
            Kind = InboundKind.Audio,
            IsVoice = true,
            MediaId = job.MediaId,
            ChannelContext = job.ChannelContext,
        };
        await sink.AcceptAsync(message, cancellationToken);
        return "success";
    }

    private static bool IsOgg(string mimeType)
    {
        var media = mimeType.Split(';')[0].Trim();
        return media.Equals("audio/ogg", StringComparison.OrdinalIgnoreCase)
            || media.Equals("audio/opus", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/ogg", StringComparison.OrdinalIgnoreCase);
    }

    private async Task RejectAsync(TranscriptionJob job, AudioRejection rejection, CancellationToken cancellationToken)
    {
        var guest = PiiMask.Contact(job.GuestId);
        Log.VoiceNoteRejected(logger, job.ProviderMessageId, guest, rejection);
        var sender = senders.FirstOrDefault(s => s.Channel == job.Channel);
        if (sender is null)
        {
            Log.NoChannelSender(logger, job.Channel, guest);
            return;
        }

        var reply = new OutboundMessage(job.Channel, job.GuestId, new Reply(AudioGuestTexts.For(rejection)), $"{job.ProviderMessageId}:audio-rejected")
        {
            ChannelContext = job.ChannelContext,
        };
        await sender.SendAsync(reply, cancellationToken);
    }
}
