using HotelAgent.Core.Audio;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Core.Queues;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Core.Health;

/// <summary>The channels store (idempotency, service window, sent keys) opens: <c>channels.db</c>, or Azure Tables.</summary>
public sealed class ChannelsStoreCheck(IServiceProvider services) : IReadinessCheck
{
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (StorageServiceCollectionExtensions.UsesAzureStorage(services))
        {
            return await services.GetRequiredService<AzureStorageAccount>().IsReachableAsync(cancellationToken)
                ? new ReadinessResult("channelsStore", true, "Azure Tables reachable")
                : new ReadinessResult("channelsStore", false, "Azure Tables of AzureWebJobsStorage cannot be reached");
        }

        return await services.GetRequiredService<ChannelsDatabase>().IsReachableAsync(cancellationToken)
            ? new ReadinessResult("channelsStore", true, "reachable")
            : new ReadinessResult("channelsStore", false, "channels.db cannot be opened");
    }
}

/// <summary>The standalone queue store opens (audio jobs).</summary>
public sealed class QueueStoreCheck(IQueueInspector queues) : IReadinessCheck
{
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var poison = await queues.CountAsync(AudioQueues.Transcribe + "-poison", cancellationToken)
            + await queues.CountAsync(AudioQueues.Synthesize + "-poison", cancellationToken);
        return new ReadinessResult("queues", true, $"reachable; {poison} poison message(s)");
    }
}

/// <summary>
/// PMS circuit state, and whether QloApps answers with PHP warnings (its webservice then fails every booking read with a 500).
/// Not critical: with the PMS down guests still get a graceful answer.
/// </summary>
public sealed class PmsCheck(PmsHealth pms) : IReadinessCheck
{
    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var detail = pms.InProcess ? $"{pms.Provider}: in process (no circuit breaker)" : $"{pms.Provider}: circuit {pms.State}";
        if (pms.PhpWarningsAt is { } at)
        {
            detail += $"; the PMS answers with PHP warnings (last at {at:yyyy-MM-dd HH:mm:ss}Z): set error_reporting = E_ALL & ~E_WARNING & ~E_NOTICE & ~E_DEPRECATED for the QloApps webservice (docs/pms.md, Running with QloApps)";
        }

        return Task.FromResult(new ReadinessResult("pms", pms.IsAvailable, detail, Critical: false));
    }
}

/// <summary>Audio engines (espeak-ng/opusenc/ffmpeg or OpenAI). Not critical: without them audio is disabled, text still works.</summary>
public sealed class AudioCheck(AudioStatus audio) : IReadinessCheck
{
    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ReadinessResult(
            "audio",
            audio.CanTranscribe || audio.CanSynthesize,
            $"transcription: {(audio.CanTranscribe ? audio.TranscriptionEngine : "disabled")}; synthesis: {(audio.CanSynthesize ? audio.SynthesisEngine : "disabled")}"
                + (audio.Reason.Length > 0 ? $" ({audio.Reason})" : string.Empty),
            Critical: false));
}
