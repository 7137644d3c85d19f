using System.Text.Json;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// A message the offline NLU understands for sure arrives already understood: the conversation answers it without
/// the NLU activity (one durable step fewer per turn); an event without that understanding still gets the activity.
/// </summary>
public sealed class PreUnderstandingTests : GraphHostTestBase
{
    [Fact]
    public async Task A_clear_question_is_answered_without_the_nlu_activity()
    {
        var guest = new GuestSimulator(Host, Graph, "5491155550311");

        var reply = string.Join('\n', await guest.SayAsync("¿Tienen wifi?"));

        Assert.Contains("Wi-Fi", reply, StringComparison.Ordinal);
        var scheduled = await ScheduledActivitiesAsync(ConversationIds.For(Channel.WhatsApp, guest.Phone));
        Assert.DoesNotContain(ConversationActivities.Understand, scheduled);
        Assert.Contains(ConversationActivities.SendReply, scheduled);
    }

    [Fact]
    public async Task An_event_without_understanding_still_runs_the_nlu_activity()
    {
        var guest = new GuestSimulator(Host, Graph, "5491155550312");
        await guest.SayAsync("Hola");
        var conversationId = ConversationIds.For(Channel.WhatsApp, guest.Phone);
        var client = Host.Services.GetRequiredService<DurableTaskClient>();
        var before = Graph.SentMessages.Count(m => m.To == guest.WaId);
        var message = new InboundMessage(Channel.WhatsApp, guest.Phone, "Lucía", "¿Tienen wifi?", "wamid.NO-PRE-1", DateTimeOffset.UtcNow);

        await client.RaiseEventAsync(conversationId, ConversationEvent.Name, ConversationEvent.Guest(message));

        await guest.WaitForHandledAsync(2);
        var reply = string.Join('\n', guest.Received().Skip(before).Select(GuestSimulator.TextOf));
        Assert.Contains("Wi-Fi", reply, StringComparison.Ordinal);
        Assert.Contains(ConversationActivities.Understand, await ScheduledActivitiesAsync(conversationId));
    }

    private async Task<List<string>> ScheduledActivitiesAsync(string instanceId)
    {
        // The backend's own history of the current generation (DurableTask.Core event shapes).
        var backend = Host.Services.GetRequiredService<IOrchestrationServiceClient>();
        using var history = JsonDocument.Parse(await backend.GetOrchestrationHistoryAsync(instanceId, null));
        return history.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("$type").GetString()!.StartsWith("DurableTask.Core.History.TaskScheduledEvent", StringComparison.Ordinal))
            .Select(e => e.GetProperty("Name").GetString()!)
            .ToList();
    }
}
