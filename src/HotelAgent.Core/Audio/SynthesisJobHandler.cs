using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Audio;

/// <summary>
/// The <c>SynthesizeAudio</c> queue function: cache → synthesize → verify Ogg/Opus and size → send the
/// voice note. The text reply is always sent separately, so a synthesis failure only logs (no retry);
/// a failed send throws so the queue retries it (the idempotency key prevents duplicates).
/// </summary>
public sealed class SynthesisJobHandler(
    ITextToSpeech textToSpeech,
    SynthesizedAudioCache cache,
    IVoiceNoteSender voiceNotes,
    AudioStatus status,
    IOptions<AudioOptions> options,
    ILogger<SynthesisJobHandler> logger,
    Observability.HotelAgentMetrics? metrics = null)
{
    private readonly AudioOptions _options = options.Value;

    /// <summary>Handles one job; returns whether a voice note was sent.</summary>
    public async Task<bool> HandleAsync(SynthesisJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            var sent = await SynthesizeAndSendAsync(job, cancellationToken);
            metrics?.RecordAudioJob("synthesize", sent ? "success" : "skipped");
            return sent;
        }
        catch
        {
            metrics?.RecordAudioJob("synthesize", "failure");
            throw;
        }
    }

    private async Task<bool> SynthesizeAndSendAsync(SynthesisJob job, CancellationToken cancellationToken)
    {
        var guest = PiiMask.Contact(job.GuestId);
        if (!status.CanSynthesize)
        {
            Log.SynthesisSkipped(logger, job.IdempotencyKey, guest, status.Reason);
            return false;
        }

        var text = job.Text?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Length > _options.MaxSynthesisCharacters)
        {
            Log.SynthesisSkipped(logger, job.IdempotencyKey, guest, text.Length == 0 ? "empty text" : $"text longer than {_options.MaxSynthesisCharacters} characters");
            return false;
        }

        var key = SynthesizedAudioCache.Key(textToSpeech.EngineName, textToSpeech.VoiceFor(job.Language), text);
        var cacheHit = cache.TryGet(key, out var audio);
        OggOpusInfo info;
        if (cacheHit)
        {
            info = OggOpusInspector.Inspect(audio, verifyCrc: false);
        }
        else
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.Timeout);
                try
                {
                    audio = await textToSpeech.SynthesizeAsync(text, job.Language, timeout.Token);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.SynthesisFailed(logger, job.IdempotencyKey, guest, textToSpeech.EngineName, ex);
                    return false;
                }
            }

            info = OggOpusInspector.Inspect(audio);
            if (!info.IsValid || audio.LongLength > _options.MaxOutputBytes)
            {
                Log.SynthesisInvalid(logger, job.IdempotencyKey, guest, textToSpeech.EngineName, info.Error ?? $"{audio.LongLength} bytes exceed the {_options.MaxOutputBytes} byte limit");
                return false;
            }

            cache.Set(key, audio);
        }

        await voiceNotes.SendVoiceNoteAsync(job.Channel, job.GuestId, audio, job.IdempotencyKey, cancellationToken);
        Log.VoiceNoteSent(logger, job.IdempotencyKey, guest, audio.Length, info.Duration.TotalSeconds, cacheHit);
        return true;
    }
}
