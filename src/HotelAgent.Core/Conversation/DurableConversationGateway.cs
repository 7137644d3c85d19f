using DurableTask.Core.Exceptions;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Delivers a guest message to the guest's conversation orchestration: start-or-raise on the instance id derived from
/// channel + guest. A new conversation starts with the message in its input (Azure Storage may drop an event raised
/// before the instance exists); later messages are external events, raised once the instance has started. Starts pass
/// dedupe statuses, so a running conversation is never overwritten: the loser of two racing starts raises instead.
/// When the offline NLU is final for the text, the event carries that understanding (see <see cref="ConversationEvent.Understanding"/>).
/// </summary>
public sealed class DurableConversationGateway(DurableClientAccessor clients, IIntentUnderstanding understanding, HotelProfile hotel, TimeProvider time)
    : IConversationGateway
{
    private const int MaxAttempts = 4;

    /// <summary>Statuses in which the conversation must not be replaced by a new start.</summary>
    public static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    public async Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var client = clients.Client;
        var id = message.ConversationId;
        var evt = ConversationEvent.Guest(message, PreUnderstand(message));
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > MaxAttempts)
            {
                throw new InvalidOperationException($"Could not deliver message {message.ProviderMessageId} to conversation {id}.");
            }

            var instance = await client.GetInstanceAsync(id, cancellationToken);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
            {
                // Started by an earlier message a moment ago: raise once it runs, so no backend can drop the event.
                instance = await client.WaitForInstanceStartAsync(id, cancellationToken);
            }

            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended })
            {
                await client.RaiseEventAsync(id, ConversationEvent.Name, evt, cancellationToken);
                return;
            }

            var input = new ConversationInput { ConversationId = id, Channel = message.Channel, GuestId = message.GuestId, FirstEvent = evt, RecordsWithLastReply = true, KeepsIdleTimer = true };
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    ConversationOrchestrator.Name, input, new StartOrchestrationOptions(id).WithDedupeStatuses(ActiveStatuses), cancellationToken);
                if (await StartedWithAsync(client, id, message, cancellationToken))
                {
                    return;
                }

                // Azure Storage (by default, and under the Functions host) ignores a start that lost a race instead of
                // throwing: the instance runs another webhook's input, so this message goes in as an event.
            }
            catch (OrchestrationAlreadyExistsException) when (attempt < MaxAttempts)
            {
                // Another webhook started this conversation at the same moment: deliver to it as an event.
            }
        }
    }

    /// <summary>True when the conversation's start input carries this message (this start won).</summary>
    private static async Task<bool> StartedWithAsync(DurableTaskClient client, string id, InboundMessage message, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        var input = instance?.SerializedInput is { } json ? OrchestrationJson.Deserialize<ConversationInput>(json) : null;
        return input?.FirstEvent?.Message?.ProviderMessageId == message.ProviderMessageId;
    }

    private PreUnderstanding? PreUnderstand(InboundMessage message)
    {
        // The same text the dialog will understand (the button id when a button reply has no title).
        var text = string.IsNullOrWhiteSpace(message.Text) ? message.ReplyId : message.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var today = HotelClock.Today(hotel, time.GetUtcNow().UtcDateTime);
        return understanding.TryUnderstandOffline(text, today, out var result) ? new PreUnderstanding(text, today, result) : null;
    }
}
