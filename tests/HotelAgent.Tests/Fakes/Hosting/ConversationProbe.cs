using HotelAgent.Core.Conversation;
using HotelAgent.Core.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// Reads a guest's durable conversation in the standalone host. Its custom status counts the guest messages it has
/// handled, set after the turn's last reply was sent: the positive signal a simulated guest waits for.
/// </summary>
public sealed class ConversationProbe(StandaloneHost host, string conversationId)
{
    public string ConversationId => conversationId;

    /// <summary>The conversation's custom status (null before its first turn).</summary>
    public async Task<ConversationStatus?> StatusAsync()
    {
        var instance = await host.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(conversationId, getInputsAndOutputs: true);
        return string.IsNullOrEmpty(instance?.SerializedCustomStatus) ? null : OrchestrationJson.Deserialize<ConversationStatus>(instance.SerializedCustomStatus);
    }

    /// <summary>Guest messages the conversation has handled (replies sent), over all its generations.</summary>
    public async Task<int> HandledAsync() => (await StatusAsync())?.Messages ?? 0;

    /// <summary>Waits until the conversation has handled <paramref name="messages"/> guest messages.</summary>
    public async Task WaitForHandledAsync(int messages, Func<string> sent, TimeSpan? timeout = null)
    {
        var handled = 0;
        if (!await Eventually.TrueAsync(async () => (handled = await HandledAsync()) >= messages, timeout))
        {
            Assert.Fail($"The conversation {conversationId} handled {handled} of {messages} messages. Sent to the guest:\n{sent()}");
        }
    }

    /// <summary>Waits until the conversation's status satisfies <paramref name="condition"/> (e.g. released by staff).</summary>
    /// <returns>The status that met <paramref name="condition"/>.</returns>
    public async Task<ConversationStatus> WaitForStatusAsync(Func<ConversationStatus, bool> condition, string what)
    {
        ConversationStatus? status = null;
        if (!await Eventually.TrueAsync(async () => (status = await StatusAsync()) is { } s && condition(s)))
        {
            Assert.Fail($"The conversation {conversationId} never reached: {what} (status {System.Text.Json.JsonSerializer.Serialize(status)}).");
        }

        return status!;
    }
}
