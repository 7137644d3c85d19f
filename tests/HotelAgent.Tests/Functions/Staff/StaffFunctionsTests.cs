using System.Text;
using HotelAgent.Core.Analytics;
using System.Text.Json;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Transcripts;
using HotelAgent.Tests.Fakes.Transcripts;
using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Functions.Staff;
using HotelAgent.Tests.Fakes.Analytics;
using HotelAgent.Tests.Fakes.Orchestration;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Functions.Staff;

/// <summary>The staff conversation functions called directly, as the host calls them, with a recording durable client.</summary>
public sealed class StaffFunctionsTests : IDisposable
{
    private readonly RecordingDurableClient _client = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
    private readonly TranscriptStoreFile _transcripts;

    public StaffFunctionsTests() => _transcripts = new TranscriptStoreFile(_time);

    public void Dispose() => _transcripts.Dispose();

    private StaffFunctions Functions() =>
        new(new ScriptedPmsClient(), new FakeInteractionLog(), _transcripts.Store, _time, Options.Create(new AnalyticsOptions()), Options.Create(_transcripts.Options));

    private static HttpRequest Request(string? body = null)
    {
        var context = new DefaultHttpContext { TraceIdentifier = "trace-1" };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        return context.Request;
    }

    [Fact]
    public async Task The_transcript_shows_every_line_with_its_time_and_the_live_stage_slots_and_handoff_reason()
    {
        var at = _time.GetUtcNow();
        var handedOff = DialogState.New with
        {
            Stage = DialogStage.HandedOff,
            HandedOff = true,
            HandoffReason = "guest asked for a person",
            Stay = new StaySlots { CheckIn = new DateOnly(2027, 1, 10), CheckOut = new DateOnly(2027, 1, 12), Guests = 2 },
        };
        await _transcripts.Store.AppendAsync("conv-whatsapp-5", new TranscriptEntry(
            TranscriptStoreFile.Snapshot(at, handedOff),
            [
                new("wamid.1", at.AddSeconds(-1), TranscriptSpeaker.Guest, "quiero hablar con alguien, me llamo Martina, 11 5555-1234"),
                new("wamid.1:0", at, TranscriptSpeaker.Bot, "Te paso con recepción 🙌"),
            ]));
        _client.Instances["conv-whatsapp-5"] = OrchestrationRuntimeStatus.Running;
        _client.CustomStatuses["conv-whatsapp-5"] = OrchestrationJson.Serialize(new ConversationStatus
        {
            Channel = "WhatsApp",
            Guest = "***1234",
            Dialog = DialogStatusView.FromState(handedOff),
            LastMessageAt = at.UtcDateTime,
            Messages = 1,
        })!;

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(202, Assert.IsType<ContentResult>(await Functions().Reply(Request("{\"text\": \"Hola Martina, soy Carla\"}"), "conv-whatsapp-5", _client)).StatusCode);
        var result = Assert.IsType<ContentResult>(await Functions().Conversation(Request(), "conv-whatsapp-5", _client));

        Assert.Equal(200, result.StatusCode);
        using var json = JsonDocument.Parse(result.Content!);
        var root = json.RootElement;
        Assert.Equal("***1234", root.GetProperty("guest").GetString());
        Assert.Equal("HandedOff", root.GetProperty("stage").GetString());
        Assert.True(root.GetProperty("handoff").GetBoolean());
        Assert.Equal("guest asked for a person", root.GetProperty("handoffReason").GetString());
        Assert.Equal("2027-01-10", root.GetProperty("slots").GetProperty("checkIn").GetString());
        Assert.Equal(2, root.GetProperty("slots").GetProperty("guests").GetInt32());
        var messages = root.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["guest", "bot", "staff"], messages.Select(m => m.GetProperty("from").GetString()!).ToArray());
        Assert.Equal("quiero hablar con alguien, me llamo Martina, 11 5555-1234", messages[0].GetProperty("text").GetString());
        Assert.Equal("Hola Martina, soy Carla", messages[2].GetProperty("text").GetString());
        Assert.Equal(at.AddSeconds(-1), messages[0].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(_time.GetUtcNow(), messages[2].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_finished_conversation_still_shows_its_kept_transcript_and_an_unknown_one_is_404()
    {
        var at = _time.GetUtcNow();
        await _transcripts.Store.AppendAsync("conv-webchat-6", new TranscriptEntry(
            TranscriptStoreFile.Snapshot(at, DialogState.New with { Stage = DialogStage.CollectingStay }, guest: "***4242"),
            [new("webchat.1", at, TranscriptSpeaker.Guest, "hola")]));

        var kept = Assert.IsType<ContentResult>(await Functions().Conversation(Request(), "conv-webchat-6", _client));
        using var json = JsonDocument.Parse(kept.Content!);
        Assert.Equal(("CollectingStay", "***4242"), (json.RootElement.GetProperty("stage").GetString(), json.RootElement.GetProperty("guest").GetString()));

        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Conversation(Request(), "conv-webchat-unknown", _client)).StatusCode);
        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Conversation(Request(), "../etc/passwd", _client)).StatusCode);

        // Past the retention the transcript is gone too.
        _time.Advance(TimeSpan.FromDays(_transcripts.Options.RetentionDays + 1));
        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Conversation(Request(), "conv-webchat-6", _client)).StatusCode);
    }

    [Fact]
    public async Task Release_raises_the_staff_event_to_a_running_conversation_and_404s_an_unknown_or_finished_one()
    {
        _client.Instances["conv-whatsapp-1"] = OrchestrationRuntimeStatus.Running;
        _client.Instances["conv-whatsapp-2"] = OrchestrationRuntimeStatus.Completed;

        var released = Assert.IsType<ContentResult>(await Functions().Release(Request(), "conv-whatsapp-1", _client));
        Assert.Equal(202, released.StatusCode);
        var raised = Assert.Single(_client.Raised);
        Assert.Equal(("conv-whatsapp-1", ConversationEvent.Name), (raised.InstanceId, raised.EventName));
        Assert.Equal(ConversationEventType.StaffRelease, Assert.IsType<ConversationEvent>(raised.Payload).Type);

        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Release(Request(), "conv-whatsapp-2", _client)).StatusCode);
        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Release(Request(), "conv-unknown", _client)).StatusCode);
        Assert.Equal(404, Assert.IsType<ContentResult>(await Functions().Release(Request(), "not-a-conversation", _client)).StatusCode);
        Assert.Single(_client.Raised);
    }

    [Fact]
    public async Task Reply_sends_the_staff_text_with_the_invocation_id_and_rejects_a_malformed_body_with_400()
    {
        _client.Instances["conv-whatsapp-3"] = OrchestrationRuntimeStatus.Running;

        Assert.Equal(400, Assert.IsType<ContentResult>(await Functions().Reply(Request("{\"text\": 5}"), "conv-whatsapp-3", _client)).StatusCode);
        Assert.Equal(400, Assert.IsType<ContentResult>(await Functions().Reply(Request("not json"), "conv-whatsapp-3", _client)).StatusCode);
        Assert.Empty(_client.Raised);

        var replied = Assert.IsType<ContentResult>(await Functions().Reply(Request("{\"text\": \" Hola, soy Carla \"}"), "conv-whatsapp-3", _client));
        Assert.Equal(202, replied.StatusCode);
        var evt = Assert.IsType<ConversationEvent>(Assert.Single(_client.Raised).Payload);
        Assert.Equal((ConversationEventType.StaffReply, "Hola, soy Carla", "trace-1"), (evt.Type, evt.StaffText, evt.StaffEventId));
    }

    [Fact]
    public async Task Reply_answers_400_for_invalid_utf8_and_413_for_a_body_over_the_cap_without_raising_anything()
    {
        _client.Instances["conv-whatsapp-4"] = OrchestrationRuntimeStatus.Running;

        var invalid = Request(null);
        invalid.Body = new MemoryStream([.. "{\"text\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);
        Assert.Equal(400, Assert.IsType<ContentResult>(await Functions().Reply(invalid, "conv-whatsapp-4", _client)).StatusCode);

        // Under the host no middleware of ours caps bodies: the function reads at most the cap, declared length or not.
        var oversized = Request(null);
        oversized.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', InputLimits.MaxHttpBodyBytes) + "\"}"));
        Assert.Equal(413, Assert.IsType<ContentResult>(await Functions().Reply(oversized, "conv-whatsapp-4", _client)).StatusCode);
        oversized.Body.Position = 0;
        oversized.ContentLength = InputLimits.MaxHttpBodyBytes + 1;
        Assert.Equal(413, Assert.IsType<ContentResult>(await Functions().Reply(oversized, "conv-whatsapp-4", _client)).StatusCode);

        Assert.Empty(_client.Raised);
    }
}
