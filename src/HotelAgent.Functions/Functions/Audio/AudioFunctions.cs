using HotelAgent.Core.Audio;
using HotelAgent.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Functions.Functions.Audio;

/// <summary>Queue triggers of the voice-note pipeline. Throwing fails the delivery: retried, then <c>{queue}-poison</c>.</summary>
public sealed class AudioFunctions(TranscriptionJobHandler transcription, SynthesisJobHandler synthesis)
{
    /// <summary>Downloads and transcribes a voice note, then feeds the text into the guest's conversation (hence the durable client).</summary>
    [Function("TranscribeAudio")]
    public async Task TranscribeAudio(
        [QueueTrigger(AudioQueues.Transcribe, Connection = "AzureWebJobsStorage")] string message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        using (DurableClientAccessor.Use(client))
        {
            await transcription.HandleAsync(AudioJobJson.DeserializeTranscription(message), cancellationToken);
        }
    }

    /// <summary>Turns a reply into an Ogg/Opus voice note and sends it.</summary>
    [Function("SynthesizeAudio")]
    public Task SynthesizeAudio(
        [QueueTrigger(AudioQueues.Synthesize, Connection = "AzureWebJobsStorage")] string message,
        CancellationToken cancellationToken) =>
        synthesis.HandleAsync(AudioJobJson.DeserializeSynthesis(message), cancellationToken);
}
