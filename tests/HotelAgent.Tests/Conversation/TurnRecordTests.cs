using System.Text.Json;
using DurableTask.Core;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Transcripts;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// A turn's record (statistics and the staff transcript) rides on its last reply's <c>SendReply</c> activity: one durable
/// activity per turn fewer. Generations started before that change replay their histories, which hold <c>RecordTurn</c>
/// calls, and so keep recording through that activity.
/// </summary>
public sealed class TurnRecordTests : GraphHostTestBase
{
    [Fact]
    public async Task A_turns_record_rides_on_its_last_reply_without_the_record_activity()
    {
        var guest = new GuestSimulator(Host, Graph, "5491155550321");

        await guest.SayAsync("¿Tienen wifi?");

        var scheduled = await ScheduledActivitiesAsync(guest.ConversationId);
        Assert.Contains(ConversationActivities.SendReply, scheduled);
        Assert.DoesNotContain(ConversationActivities.RecordTurn, scheduled);
        var transcript = await Host.Services.GetRequiredService<ITranscriptStore>().GetAsync(guest.ConversationId);
        Assert.Contains(transcript!.Lines, l => l.From == TranscriptSpeaker.Guest && l.Text == "¿Tienen wifi?");
        Assert.Contains(transcript.Lines, l => l.From == TranscriptSpeaker.Bot && l.Text.Contains("Wi-Fi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_generation_started_before_the_change_still_records_through_the_record_activity()
    {
        var guest = new GuestSimulator(Host, Graph, "5491155550322");
        await guest.SayAsync("Hola"); // opens the guest's WhatsApp window for the replies below
        var legacyId = guest.ConversationId + "-legacy";
        var message = new InboundMessage(Channel.WhatsApp, guest.Phone, "Lucía", "¿Tienen wifi?", "wamid.LEGACY-1", DateTimeOffset.UtcNow);
        var client = Host.Services.GetRequiredService<DurableTaskClient>();

        await client.ScheduleNewOrchestrationInstanceAsync(
            ConversationOrchestrator.Name,
            new ConversationInput { ConversationId = legacyId, Channel = Channel.WhatsApp, GuestId = guest.Phone, FirstEvent = ConversationEvent.Guest(message) },
            new StartOrchestrationOptions(legacyId));

        await new ConversationProbe(Host, legacyId).WaitForHandledAsync(1, () => string.Join("\n", guest.Received().Select(GuestSimulator.TextOf)));
        var scheduled = await ScheduledActivitiesAsync(legacyId);
        Assert.Contains(ConversationActivities.SendReply, scheduled);
        Assert.Contains(ConversationActivities.RecordTurn, scheduled);
        var transcript = await Host.Services.GetRequiredService<ITranscriptStore>().GetAsync(legacyId);
        Assert.Contains(transcript!.Lines, l => l.From == TranscriptSpeaker.Guest && l.Text == "¿Tienen wifi?");
    }

    [Fact]
    public async Task A_record_that_fails_after_the_reply_was_sent_does_not_fail_the_send()
    {
        // A failed SendReply is retried: the record riding on it must never turn a delivered reply into a failure.
        var dispatcher = new CountingDispatcher();
        using var scope = Host.Services.CreateScope();
        var handlers = ActivatorUtilities.CreateInstance<ConversationActivityHandlers>(
            scope.ServiceProvider, dispatcher, new ITurnRecorder[] { new FailingRecorder() });
        var request = new SendReplyRequest(new OutboundMessage(Channel.WhatsApp, "5491155550323", new Reply("Hola"), "k1"), false, "es", "c-record")
        {
            Record = new TurnRecord(DateTime.UtcNow, "c-record", Channel.WhatsApp, "greeting", 0.9, [], null, null, null, 5),
        };

        Assert.True(await handlers.SendReplyAsync(request));
        Assert.Equal(1, dispatcher.Count);
    }

    private sealed class CountingDispatcher : IReplyDispatcher
    {
        public int Count { get; private set; }

        public Task DispatchAsync(SendReplyRequest request, CancellationToken cancellationToken)
        {
            Count++;
            return Task.CompletedTask;
        }
    }

    private sealed class FailingRecorder : ITurnRecorder
    {
        public Task RecordAsync(TurnRecord record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("database is locked");
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
