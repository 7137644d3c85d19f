using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Orchestration.Protocol;

namespace HotelAgent.Tests.Orchestration;

/// <summary>
/// Golden byte vectors written by hand from the published schema (field number and wire type of each field of
/// microsoft/durabletask-protobuf orchestrator_service.proto), not produced by our encoder.
/// </summary>
public class ProtocolGoldenTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void TaskScheduled_event_matches_hand_encoded_bytes()
    {
        // eventId=1 (field 1 varint: 08 01); taskScheduled = field 6 LEN (0x32) { name = field 1 LEN "A" }
        var golden = Hex("08 01 32 03 0A 01 41");
        var e = new HistoryEvent { EventId = 1, TaskScheduled = new TaskScheduledEvent { Name = "A" } };
        Assert.Equal(golden, e.ToByteArray());
        var parsed = HistoryEvent.Parser.ParseFrom(golden);
        Assert.Equal("A", parsed.TaskScheduled.Name);
    }

    [Fact]
    public void EventRaised_event_with_negative_event_id_matches_hand_encoded_bytes()
    {
        // eventId=-1 is a 10-byte varint; eventRaised = field 17 LEN -> tag (17<<3|2)=138 = varint 8A 01;
        // { name = "msg", input = field 2 StringValue { value = field 1 "\"hi\"" } }
        var golden = Hex("08 FF FF FF FF FF FF FF FF FF 01 8A 01 0D 0A 03 6D 73 67 12 06 0A 04 22 68 69 22");
        var e = new HistoryEvent { EventId = -1, EventRaised = new EventRaisedEvent { Name = "msg", Input = "\"hi\"" } };
        Assert.Equal(golden, e.ToByteArray());
        var parsed = HistoryEvent.Parser.ParseFrom(golden);
        Assert.Equal(-1, parsed.EventId);
        Assert.Equal("\"hi\"", parsed.EventRaised.Input);
    }

    [Fact]
    public void ExecutionStarted_TaskCompleted_TimerFired_parse_from_hand_encoded_bytes()
    {
        // executionStarted = field 3 (0x1A) { name "o", orchestrationInstance = field 4 { instanceId "i", executionId = StringValue "e" } }
        var started = HistoryEvent.Parser.ParseFrom(Hex("1A 0D 0A 01 6F 22 08 0A 01 69 12 03 0A 01 65"));
        Assert.Equal("o", started.ExecutionStarted.Name);
        Assert.Equal("i", started.ExecutionStarted.OrchestrationInstance.InstanceId);
        Assert.Equal("e", started.ExecutionStarted.OrchestrationInstance.ExecutionId);

        // taskCompleted = field 7 (0x3A) { taskScheduledId = 4, result = StringValue "\"ok\"" }
        var completed = HistoryEvent.Parser.ParseFrom(Hex("3A 0A 08 04 12 06 0A 04 22 6F 6B 22"));
        Assert.Equal(4, completed.TaskCompleted.TaskScheduledId);
        Assert.Equal("\"ok\"", completed.TaskCompleted.Result);

        // timerFired = field 13 (0x6A) { timerId = field 2 varint 5 }
        var fired = HistoryEvent.Parser.ParseFrom(Hex("6A 02 10 05"));
        Assert.Equal(5, fired.TimerFired.TimerId);
    }

    [Fact]
    public void OrchestratorRequest_parses_from_hand_encoded_bytes()
    {
        // instanceId "x"; newEvents = field 4 [ { timestamp = field 2 { seconds 2 }, orchestratorStarted = field 14 (0x72) {} } ]
        var request = OrchestratorRequest.Parser.ParseFrom(Hex("0A 01 78 22 06 12 02 08 02 72 00"));
        Assert.Equal("x", request.InstanceId);
        var e = Assert.Single(request.NewEvents);
        Assert.Equal(HistoryEvent.EventTypeOneofCase.OrchestratorStarted, e.EventTypeCase);
        Assert.Equal(2, e.Timestamp.Seconds);
    }

    [Fact]
    public void CreateTimer_action_matches_hand_encoded_bytes()
    {
        // id=2; createTimer = field 4 (0x22) { fireAt = field 1 Timestamp { seconds = 1 } }
        var action = new OrchestratorAction { Id = 2, CreateTimer = new CreateTimerAction { FireAt = new Timestamp { Seconds = 1 } } };
        Assert.Equal(Hex("08 02 22 04 0A 02 08 01"), action.ToByteArray());
    }

    [Fact]
    public void Failed_completion_action_matches_hand_encoded_bytes()
    {
        // id=3; completeOrchestration = field 6 (0x32) { orchestrationStatus = 3 (FAILED), failureDetails = field 6 { errorType "E", errorMessage "m" } }
        var action = new OrchestratorAction
        {
            Id = 3,
            CompleteOrchestration = new CompleteOrchestrationAction
            {
                OrchestrationStatus = OrchestrationStatus.Failed,
                FailureDetails = new TaskFailureDetails { ErrorType = "E", ErrorMessage = "m" },
            },
        };
        Assert.Equal(Hex("08 03 32 0A 08 03 32 06 0A 01 45 12 01 6D"), action.ToByteArray());
    }

    [Fact]
    public void OrchestratorResponse_matches_hand_encoded_bytes()
    {
        // instanceId "i"; actions = field 2 [ { id 0 (omitted), scheduleTask = field 2 { name "a" } } ]; customStatus = field 3 StringValue "1"
        var response = new OrchestratorResponse { InstanceId = "i", CustomStatus = "1" };
        response.Actions.Add(new OrchestratorAction { Id = 0, ScheduleTask = new ScheduleTaskAction { Name = "a" } });
        Assert.Equal(Hex("0A 01 69 12 05 12 03 0A 01 61 1A 03 0A 01 31"), response.ToByteArray());
    }

    [Fact]
    public void Enum_values_match_the_published_schema()
    {
        Assert.Equal(0, (int)OrchestrationStatus.Running);
        Assert.Equal(1, (int)OrchestrationStatus.Completed);
        Assert.Equal(2, (int)OrchestrationStatus.ContinuedAsNew);
        Assert.Equal(3, (int)OrchestrationStatus.Failed);
        Assert.Equal(5, (int)OrchestrationStatus.Terminated);
        Assert.Equal(6, (int)OrchestrationStatus.Pending);
    }

    public static TheoryData<HistoryEvent> AllEvents()
    {
        var ts = Timestamp.FromDateTime(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var failure = new TaskFailureDetails { ErrorType = "T", ErrorMessage = "m", StackTrace = "s", InnerFailure = new TaskFailureDetails { ErrorType = "I" }, IsNonRetriable = true };
        return new TheoryData<HistoryEvent>
        {
            new HistoryEvent { EventId = -1, Timestamp = ts, ExecutionStarted = new ExecutionStartedEvent { Name = "n", Version = "v", Input = "{}", OrchestrationInstance = new OrchestrationInstance { InstanceId = "i", ExecutionId = "e" }, ParentInstance = new ParentInstanceInfo { TaskScheduledId = 1, Name = "p" }, ScheduledStartTimestamp = ts } },
            new HistoryEvent { EventId = -1, ExecutionCompleted = new ExecutionCompletedEvent { OrchestrationStatus = OrchestrationStatus.Failed, Result = "1", FailureDetails = failure } },
            new HistoryEvent { EventId = -1, ExecutionTerminated = new ExecutionTerminatedEvent { Input = "\"r\"", Recurse = true } },
            new HistoryEvent { EventId = 3, TaskScheduled = new TaskScheduledEvent { Name = "a", Version = "1", Input = "[1]" } },
            new HistoryEvent { EventId = -1, TaskCompleted = new TaskCompletedEvent { TaskScheduledId = 3, Result = "2" } },
            new HistoryEvent { EventId = -1, TaskFailed = new TaskFailedEvent { TaskScheduledId = 3, FailureDetails = failure } },
            new HistoryEvent { EventId = 4, TimerCreated = new TimerCreatedEvent { FireAt = ts } },
            new HistoryEvent { EventId = -1, TimerFired = new TimerFiredEvent { FireAt = ts, TimerId = 4 } },
            new HistoryEvent { EventId = -1, Timestamp = ts, OrchestratorStarted = new() },
            new HistoryEvent { EventId = -1, OrchestratorCompleted = new() },
            new HistoryEvent { EventId = 5, EventSent = new EventSentEvent { InstanceId = "o", Name = "x", Input = "null" } },
            new HistoryEvent { EventId = -1, EventRaised = new EventRaisedEvent { Name = "msg", Input = "{\"a\":1}" } },
            new HistoryEvent { EventId = -1, ContinueAsNew = new ContinueAsNewEvent { Input = "3" } },
        };
    }

    [Theory]
    [MemberData(nameof(AllEvents))]
    public void Every_history_event_round_trips(HistoryEvent e)
    {
        var bytes = e.ToByteArray();
        Assert.Equal(e, HistoryEvent.Parser.ParseFrom(bytes));
    }

    [Fact]
    public void Every_action_round_trips()
    {
        var actions = new[]
        {
            new OrchestratorAction { Id = 0, ScheduleTask = new ScheduleTaskAction { Name = "a", Version = "v", Input = "1" } },
            new OrchestratorAction { Id = 1, CreateTimer = new CreateTimerAction { FireAt = new Timestamp { Seconds = 99, Nanos = 5 } } },
            new OrchestratorAction { Id = 2, SendEvent = new SendEventAction { Instance = new OrchestrationInstance { InstanceId = "t" }, Name = "e", Data = "{}" } },
            new OrchestratorAction { Id = 3, CompleteOrchestration = new CompleteOrchestrationAction { OrchestrationStatus = OrchestrationStatus.ContinuedAsNew, Result = "2", CarryoverEvents = { new HistoryEvent { EventId = -1, EventRaised = new EventRaisedEvent { Name = "m" } } } } },
        };
        var response = new OrchestratorResponse { InstanceId = "i", CustomStatus = "{\"stage\":1}", NumEventsProcessed = 4 };
        response.Actions.AddRange(actions);
        Assert.Equal(response, OrchestratorResponse.Parser.ParseFrom(response.ToByteArray()));
    }

    [Fact]
    public void Unknown_fields_from_newer_schema_are_preserved()
    {
        // HistoryEvent with executionStarted whose field 9 (tags map, not in our subset) carries an entry.
        var golden = Hex("1A 0B 0A 01 6F 4A 06 0A 01 6B 12 01 76");
        var parsed = HistoryEvent.Parser.ParseFrom(golden);
        Assert.Equal("o", parsed.ExecutionStarted.Name);
        Assert.Equal(golden, parsed.ToByteArray());
    }
}
