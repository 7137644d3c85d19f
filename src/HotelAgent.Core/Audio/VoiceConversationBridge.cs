using HotelAgent.Core.Conversation;
using HotelAgent.Core.Inbound;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Queues;

namespace HotelAgent.Core.Audio;

/// <summary>
/// Connects the conversation to the audio queues: inbound voice notes go to <c>audio-transcribe</c>, spoken
/// replies to <c>audio-synthesize</c>. Disabled audio (missing tools, no key) means no jobs, never a crash.
/// </summary>
public sealed class VoiceConversationBridge(IQueueSender queue, AudioStatus status) : IVoiceNoteIntake, IVoiceReplyQueue
{
    public Task EnqueueTranscriptionAsync(InboundMessage voiceNote, CancellationToken cancellationToken) =>
        queue.EnqueueTranscriptionAsync(TranscriptionJob.FromInbound(voiceNote), cancellationToken);

    public async Task EnqueueAsync(SendReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!status.CanSynthesize)
        {
            return;
        }

        await queue.EnqueueSynthesisAsync(
            new SynthesisJob
            {
                Channel = request.Message.Channel,
                GuestId = request.Message.GuestId,
                Text = request.Message.Reply.Text,
                Language = request.Language,
                IdempotencyKey = request.Message.IdempotencyKey + ":voice",
            },
            cancellationToken);
    }
}
