using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Orchestration.Protocol;
using HotelAgent.Tests.Fakes.Audio;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Orchestration;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>
/// The real app in custom-handler mode (in-process, real Kestrel on loopback) driven with the exact invocation JSON the
/// Functions host sends: HTTP trigger with a durable client, orchestration and activity triggers, queue trigger.
/// The Durable HTTP management API, Graph API and OpenAI audio endpoint are loopback fakes.
/// </summary>
public sealed class CustomHandlerModeTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private FakeDurableManagementApi _durable = null!;
    private FakeOpenAiAudioServer _openAi = null!;
    private CustomHandlerHost _host = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _durable = await FakeDurableManagementApi.StartAsync();
        _openAi = await FakeOpenAiAudioServer.StartAsync();
        var settings = _graph.WhatsAppSettings(StandaloneHost.AccessToken, StandaloneHost.AppSecret, StandaloneHost.VerifyToken, StandaloneHost.PhoneNumberId);
        settings["OpenAI:Endpoint"] = _openAi.BaseUrl;
        settings["OpenAI:ApiKey"] = "sk-loopback";
        settings["Audio:SynthesisEngine"] = "espeak";
        _host = await CustomHandlerHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _openAi.DisposeAsync();
        await _durable.DisposeAsync();
        await _graph.DisposeAsync();
    }

    /// <summary>The guest id the webhook parser derives from a wa_id (normalized phone).</summary>
    private static string Guest(string waId) =>
        Core.Channels.Common.ContactNormalizer.TryNormalizePhone(waId, out var id) ? id : throw new ArgumentException(waId);

    private string Starter() => CustomHandlerHost.DurableClientBinding(_durable.BaseUrl, FakeDurableManagementApi.Code);

    private object WebhookInvocation(string body, string signature) => new
    {
        Data = new
        {
            req = new
            {
                Url = "http://localhost:7071/api/webhooks/whatsapp",
                Method = "POST",
                Query = new Dictionary<string, string>(),
                Headers = new Dictionary<string, string[]>
                {
                    ["Content-Type"] = ["application/json"],
                    ["User-Agent"] = ["facebookexternalua"],
                    ["X-Hub-Signature-256"] = [signature],
                },
                Identities = Array.Empty<object>(),
                Body = body,
            },
            starter = Starter(),
        },
        Metadata = new { Headers = new { }, Query = new { }, sys = CustomHandlerHost.Sys("WhatsAppWebhook") },
    };

    private static string RawSpanishWebhook(string wamid, string waId) => $$"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{StandaloneHost.PhoneNumberId}}"},"contacts":[{"profile":{"name":"Martín Núñez"},"wa_id":"{{waId}}"}],"messages":[{"from":"{{waId}}","id":"{{wamid}}","timestamp":"{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}","text":{"body":"¿Tenés lugar? Quería reservar"},"type":"text"}]},"field":"messages"}]}]}
        """;

    private FakeDurableManagementApi.Instance WaitForInstance(string instanceId) =>
        _durable.Instances.TryGetValue(instanceId, out var instance) ? instance : throw new Xunit.Sdk.XunitException($"No instance {instanceId}; calls: {string.Join(" | ", _durable.RequestLog)}");

    [Fact]
    public async Task Readiness_probe_answers()
    {
        var response = await _host.Client.GetAsync("/");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signed_spanish_webhook_starts_the_conversation_through_the_management_api(bool rawUtf8)
    {
        const string waId = "5491155550777";
        var wamid = WhatsAppWebhookSamples.NewWamid();
        // Raw UTF-8 ("¿Tenés") or the \u-escaped form ("\u00BFTen\u00E9s") Meta may send: the signature covers either text.
        var body = rawUtf8 ? RawSpanishWebhook(wamid, waId) : WhatsAppWebhookSamples.Text("¿Tenés lugar? Quería reservar", waId, wamid, profileName: "Martín Núñez");
        Assert.Equal(rawUtf8, body.Contains('¿', StringComparison.Ordinal));

        var (status, response) = await _host.InvokeAsync("WhatsAppWebhook", WebhookInvocation(body, WhatsAppWebhookSamples.Sign(body, StandaloneHost.AppSecret)));

        Assert.Equal(200, status);
        Assert.Equal(200, response.GetProperty("Outputs").GetProperty("res").GetProperty("statusCode").GetInt32());
        var conversationId = ConversationIds.For(Channel.WhatsApp, Guest(waId));
        var log = _durable.RequestLog.ToArray();
        var code = "code=" + Uri.EscapeDataString(FakeDurableManagementApi.Code);
        var expectedStart = $"POST /runtime/webhooks/durabletask/orchestrators/ConversationOrchestrator/{conversationId}?{code}&taskHub=HotelAgentHub&connection=Storage";
        Assert.True(log.Contains(expectedStart), expectedStart + "\n" + string.Join("\n", log));
        Assert.Contains($"POST /runtime/webhooks/durabletask/instances/{conversationId}/raiseEvent/ConversationEvent?{code}&taskHub=HotelAgentHub&connection=Storage", log);
        var instance = WaitForInstance(conversationId);
        var (name, eventBody) = Assert.Single(instance.Events);
        Assert.Equal(ConversationEvent.Name, name);
        var evt = OrchestrationJson.Deserialize<ConversationEvent>(eventBody)!;
        Assert.Equal("¿Tenés lugar? Quería reservar", evt.Message!.Text);
        Assert.Equal(wamid, evt.Message.ProviderMessageId);
        Assert.Equal("Martín Núñez", evt.Message.DisplayName);
    }

    [Fact]
    public async Task Forged_signature_is_401_and_reaches_no_orchestration()
    {
        var body = RawSpanishWebhook(WhatsAppWebhookSamples.NewWamid(), "5491155550778");
        var forged = WhatsAppWebhookSamples.Sign(body.Replace("¿Tenés", "Tenes", StringComparison.Ordinal), StandaloneHost.AppSecret);

        var (status, response) = await _host.InvokeAsync("WhatsAppWebhook", WebhookInvocation(body, forged));

        Assert.Equal(200, status);
        Assert.Equal(401, response.GetProperty("Outputs").GetProperty("res").GetProperty("statusCode").GetInt32());
        Assert.Empty(_durable.RequestLog);
        Assert.Empty(_durable.Instances);
    }

    [Fact]
    public async Task Voice_note_webhook_queues_a_transcription_job_as_an_output_binding()
    {
        var body = WhatsAppWebhookSamples.VoiceNote("1234567890", "5491155550779");

        var (status, response) = await _host.InvokeAsync("WhatsAppWebhook", WebhookInvocation(body, WhatsAppWebhookSamples.Sign(body, StandaloneHost.AppSecret)));

        Assert.Equal(200, status);
        var jobs = response.GetProperty("Outputs").GetProperty("transcriptionJobs");
        var job = Assert.Single(jobs.EnumerateArray().ToArray());
        Assert.Equal(JsonValueKind.Object, job.ValueKind);
        Assert.Equal("1234567890", AudioJobJson.DeserializeTranscription(job.GetRawText()).MediaId);
        Assert.Empty(_durable.Instances);
    }

    private static string OrchestrationContext(OrchestratorRequest request) =>
        // Data.context: JSON text of the base64 string, JSON-encoded once more by the host.
        JsonSerializer.Serialize(Convert.ToBase64String(request.ToByteArray()));

    private async Task<OrchestratorResponse> RunOrchestrator(OrchestratorRequest request)
    {
        var (status, response) = await _host.InvokeAsync(ConversationOrchestrator.Name, new
        {
            Data = new { context = OrchestrationContext(request) },
            Metadata = new { sys = CustomHandlerHost.Sys(ConversationOrchestrator.Name) },
        });
        Assert.Equal(200, status);
        var returnValue = response.GetProperty("ReturnValue");
        Assert.Equal(JsonValueKind.String, returnValue.ValueKind);
        return OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(returnValue.GetString()!));
    }

    private static HistoryEvent Started(DateTime now) => new() { EventId = -1, Timestamp = Timestamp.FromDateTime(now), OrchestratorStarted = new OrchestratorStartedEvent() };

    [Fact]
    public async Task Orchestrator_invocation_schedules_understand_then_send_reply_with_real_nlu()
    {
        const string waId = "5491155550780";
        var conversationId = ConversationIds.For(Channel.WhatsApp, waId);
        var now = DateTime.UtcNow;
        var message = new InboundMessage(Channel.WhatsApp, waId, "Lucía", "Hola", "wamid.ORCH-1", DateTimeOffset.UtcNow);
        var input = new ConversationInput { ConversationId = conversationId, Channel = Channel.WhatsApp, GuestId = waId };
        var first = new List<HistoryEvent>
        {
            Started(now),
            new()
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(now),
                ExecutionStarted = new ExecutionStartedEvent
                {
                    Name = ConversationOrchestrator.Name,
                    Input = OrchestrationJson.Serialize(input),
                    OrchestrationInstance = new OrchestrationInstance { InstanceId = conversationId, ExecutionId = "exec-1" },
                },
            },
            new()
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTime(now),
                EventRaised = new EventRaisedEvent { Name = ConversationEvent.Name, Input = OrchestrationJson.Serialize(ConversationEvent.Guest(message)) },
            },
        };
        var request = new OrchestratorRequest { InstanceId = conversationId };
        request.NewEvents.AddRange(first);

        var step1 = await RunOrchestrator(request);

        // The idle-timeout timer of WaitForExternalEvent (action 0), then the NLU activity for the buffered event.
        Assert.Equal(2, step1.Actions.Count);
        var timer = step1.Actions[0];
        Assert.Equal(OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer, timer.OrchestratorActionTypeCase);
        Assert.Equal(0, timer.Id);
        Assert.InRange(timer.CreateTimer.FireAt.ToDateTime(), now.AddMinutes(29), now.AddMinutes(31));
        var schedule = step1.Actions[1];
        Assert.Equal(OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask, schedule.OrchestratorActionTypeCase);
        Assert.Equal(1, schedule.Id);
        Assert.Equal(ConversationActivities.Understand, schedule.ScheduleTask.Name);
        Assert.Contains("Hola", schedule.ScheduleTask.Input, StringComparison.Ordinal);
        Assert.NotNull(step1.CustomStatus);

        // The activity as the host calls it, with the input the orchestrator scheduled: a real NLU result.
        var (activityStatus, activityResponse) = await _host.InvokeAsync(ConversationActivities.Understand, new
        {
            Data = new { input = schedule.ScheduleTask.Input },
            Metadata = new { instanceId = JsonSerializer.Serialize(conversationId), sys = CustomHandlerHost.Sys(ConversationActivities.Understand) },
        });
        Assert.Equal(200, activityStatus);
        var nlu = activityResponse.GetProperty("ReturnValue");
        Assert.Equal("greeting", nlu.GetProperty("intent").GetString());

        var second = new OrchestratorRequest { InstanceId = conversationId };
        second.PastEvents.AddRange(first);
        second.PastEvents.Add(new HistoryEvent
        {
            EventId = timer.Id,
            Timestamp = Timestamp.FromDateTime(now),
            TimerCreated = new TimerCreatedEvent { FireAt = timer.CreateTimer.FireAt },
        });
        second.PastEvents.Add(new HistoryEvent
        {
            EventId = schedule.Id,
            Timestamp = Timestamp.FromDateTime(now),
            TaskScheduled = new TaskScheduledEvent { Name = schedule.ScheduleTask.Name, Input = schedule.ScheduleTask.Input },
        });
        second.PastEvents.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTime(now), OrchestratorCompleted = new OrchestratorCompletedEvent() });
        second.NewEvents.Add(Started(now.AddSeconds(1)));
        second.NewEvents.Add(new HistoryEvent
        {
            EventId = -1,
            Timestamp = Timestamp.FromDateTime(now.AddSeconds(1)),
            TaskCompleted = new TaskCompletedEvent { TaskScheduledId = schedule.Id, Result = nlu.GetRawText() },
        });

        var step2 = await RunOrchestrator(second);

        var send = Assert.Single(step2.Actions, a => a.ScheduleTask?.Name == ConversationActivities.SendReply);
        Assert.True(send.Id > schedule.Id);
        var reply = OrchestrationJson.Deserialize<SendReplyRequest>(send.ScheduleTask.Input)!;
        Assert.Equal(waId, reply.Message.GuestId);
        Assert.Contains("Hotel Palermo Soho", reply.Message.Reply.Text, StringComparison.Ordinal);
        Assert.False(reply.AlsoVoice);
    }

    private static SendReplyRequest Reply(string waId, string text, bool voice) =>
        new(new OutboundMessage(Channel.WhatsApp, Guest(waId), new Reply(text), "wamid.SEND-" + Guid.NewGuid().ToString("N")), voice, "es", ConversationIds.For(Channel.WhatsApp, Guest(waId)));

    private async Task<(int Status, JsonElement Body)> SendReply(SendReplyRequest request)
    {
        // The guest wrote first (as in every real flow): that opens WhatsApp's customer-service window for free text.
        var inbound = WhatsAppWebhookSamples.Text("Hola", request.Message.GuestId.TrimStart('+'));
        var (webhookStatus, webhook) = await _host.InvokeAsync("WhatsAppWebhook", WebhookInvocation(inbound, WhatsAppWebhookSamples.Sign(inbound, StandaloneHost.AppSecret)));
        Assert.Equal(200, webhookStatus);
        Assert.True(200 == webhook.GetProperty("Outputs").GetProperty("res").GetProperty("statusCode").GetInt32(), webhook.GetRawText());
        return await _host.InvokeAsync(ConversationActivities.SendReply, new
        {
            Data = new { input = OrchestrationJson.Serialize(request) },
            Metadata = new { instanceId = JsonSerializer.Serialize(request.ConversationId), sys = CustomHandlerHost.Sys(ConversationActivities.SendReply) },
        });
    }

    [Fact]
    public async Task Send_reply_activity_sends_the_text_through_graph()
    {
        var (status, response) = await SendReply(Reply("5491155550781", "¡Hola! Tenemos la doble libre, ¿la reservo?", voice: false));

        Assert.Equal(200, status);
        var sent = await _graph.WaitForSentMessageAsync(m => m.To == "5491155550781", TimeSpan.FromSeconds(10));
        Assert.True(sent.Text == "¡Hola! Tenemos la doble libre, ¿la reservo?", sent.Body.GetRawText());
        Assert.False(response.GetProperty("Outputs").TryGetProperty("synthesisJobs", out _));
    }

    [Fact]
    public async Task Send_reply_with_voice_puts_the_synthesis_job_on_the_queue_output_binding()
    {
        var (status, response) = await SendReply(Reply("5491155550782", "Perfecto, le confirmo la reserva.", voice: true));

        Assert.Equal(200, status);
        Assert.Equal("Perfecto, le confirmo la reserva.", (await _graph.WaitForSentMessageAsync(m => m.To == "5491155550782", TimeSpan.FromSeconds(10))).Text);
        var job = Assert.Single(response.GetProperty("Outputs").GetProperty("synthesisJobs").EnumerateArray().ToArray());
        Assert.Equal(JsonValueKind.Object, job.ValueKind);
        var synthesis = AudioJobJson.DeserializeSynthesis(job.GetRawText());
        Assert.Equal(Guest("5491155550782"), synthesis.GuestId);
        Assert.Contains("confirmo la reserva", job.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Understand_activity_with_an_extra_encoded_input_returns_an_nlu_result_object()
    {
        var stay = Conversation.ConversationEndToEndTests.FutureStay();
        var input = OrchestrationJson.Serialize(new UnderstandRequest($"hola, tenés lugar para 2 personas {stay.Spanish}?", DateOnly.FromDateTime(DateTime.UtcNow)))!;

        var (status, response) = await _host.InvokeAsync(ConversationActivities.Understand, new
        {
            Data = new { input = JsonSerializer.Serialize(input) },
            Metadata = new { instanceId = "\"conv\"", sys = CustomHandlerHost.Sys(ConversationActivities.Understand) },
        });

        Assert.Equal(200, status);
        var nlu = response.GetProperty("ReturnValue");
        Assert.Equal(JsonValueKind.Object, nlu.ValueKind);
        Assert.Equal("check_availability", nlu.GetProperty("intent").GetString());
        Assert.Equal(stay.CheckIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), nlu.GetProperty("entities").GetProperty("checkIn").GetString());
        Assert.Equal(2, nlu.GetProperty("entities").GetProperty("guests").GetInt32());
    }

    [Fact]
    public async Task Transcribe_queue_trigger_feeds_the_transcript_into_the_conversation()
    {
        const string waId = "5491155550783";
        _openAi.TranscriptText = "Hola, ¿tienen habitación para dos personas?";
        var mediaId = _graph.AddMedia(await AudioTestSupport.SpanishVoiceNoteAsync());
        var job = new TranscriptionJob
        {
            Channel = Channel.WhatsApp,
            GuestId = Guest(waId),
            DisplayName = "Lucía",
            MediaId = mediaId,
            MimeType = "audio/ogg; codecs=opus",
            ProviderMessageId = "wamid.VOICE-1",
            Timestamp = DateTimeOffset.UtcNow,
        };

        var (status, response) = await _host.InvokeAsync("TranscribeAudio", new
        {
            Data = new { message = JsonSerializer.Serialize(AudioJobJson.Serialize(job)), starter = Starter() },
            Metadata = new
            {
                DequeueCount = "1",
                Id = "\"0e8c4b3d-1f8a-4d5e-9b1a-2c3d4e5f6a7b\"",
                PopReceipt = "\"AgAAAAMAAAAAAAAA\"",
                InsertionTime = "2026-11-21T10:00:00+00:00",
                sys = CustomHandlerHost.Sys("TranscribeAudio"),
            },
        });

        Assert.True(status == 200, response.GetRawText());
        var upload = Assert.Single(_openAi.Transcriptions);
        Assert.Equal("Bearer sk-loopback", upload.Authorization);
        var instance = WaitForInstance(ConversationIds.For(Channel.WhatsApp, Guest(waId)));
        Assert.Equal(ConversationOrchestrator.Name, instance.Name);
        var (name, body) = Assert.Single(instance.Events);
        Assert.Equal(ConversationEvent.Name, name);
        var evt = OrchestrationJson.Deserialize<ConversationEvent>(body)!;
        Assert.True(evt.Message!.IsVoice);
        Assert.Equal("Hola, ¿tienen habitación para dos personas?", evt.Message.Text);
        Assert.Equal("wamid.VOICE-1", evt.Message.ProviderMessageId);
    }
}
