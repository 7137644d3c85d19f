using System.Text;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Conversation;
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
public sealed class StaffFunctionsTests
{
    private readonly RecordingDurableClient _client = new();

    private static StaffFunctions Functions() =>
        new(new ScriptedPmsClient(), new FakeInteractionLog(), TimeProvider.System, Options.Create(new AnalyticsOptions()));

    private static HttpRequest Request(string? body = null)
    {
        var context = new DefaultHttpContext { TraceIdentifier = "trace-1" };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        return context.Request;
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
