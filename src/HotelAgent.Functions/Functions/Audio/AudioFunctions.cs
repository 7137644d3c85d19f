using HotelAgent.Core.Audio;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Audio;

/// <summary>
/// Queue trigger on <c>audio-transcribe</c>: downloads the voice note, transcribes it, and feeds the text into the
/// guest's conversation like a typed message (so it needs the durable client). Throwing → retry, then poison.
/// </summary>
public sealed class TranscribeAudioFunction(TranscriptionJobHandler handler) : IQueueFunction
{
    public FunctionDefinition Definition { get; } = new("TranscribeAudio", [Binding.QueueTrigger(AudioQueues.Transcribe), Binding.DurableClient()]);

    public Task RunAsync(QueueTriggerMessage message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return handler.HandleAsync(AudioJobJson.DeserializeTranscription(message.Text), cancellationToken);
    }
}

/// <summary>Queue trigger on <c>audio-synthesize</c>: turns a reply into an Ogg/Opus voice note and sends it.</summary>
public sealed class SynthesizeAudioFunction(SynthesisJobHandler handler) : IQueueFunction
{
    public FunctionDefinition Definition { get; } = new("SynthesizeAudio", [Binding.QueueTrigger(AudioQueues.Synthesize)]);

    public async Task RunAsync(QueueTriggerMessage message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await handler.HandleAsync(AudioJobJson.DeserializeSynthesis(message.Text), cancellationToken);
    }
}
