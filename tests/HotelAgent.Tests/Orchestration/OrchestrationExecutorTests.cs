using Google.Protobuf;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Orchestration.Protocol;
using HotelAgent.Tests.Fakes.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static HotelAgent.Tests.Fakes.Orchestration.ReplayHarness;
using Case = HotelAgent.Core.Orchestration.Protocol.OrchestratorAction.OrchestratorActionTypeOneofCase;

namespace HotelAgent.Tests.Orchestration;

public class OrchestrationExecutorTests
{
    private static ReplayHarness Harness(string name, Func<IOrchestrationContext, string?, Task<object?>> run) =>
        new(new OrchestratorRegistry().Add(name, run));

    private static CompleteOrchestrationAction Completion(OrchestratorResponse r) =>
        Assert.Single(r.Actions, a => a.OrchestratorActionTypeCase == Case.CompleteOrchestration).CompleteOrchestration;

    private static async Task<object?> TwoActivities(IOrchestrationContext ctx, string? input)
    {
        var a = await ctx.CallActivityAsync<string>("A", OrchestrationJson.Deserialize<string>(input));
        var b = await ctx.CallActivityAsync<string>("B", a);
        return b;
    }

    [Fact]
    public void Activities_are_scheduled_one_after_the_other_with_sequential_ids()
    {
        var h = Harness("o", TwoActivities);
        var r1 = h.Start("o", "\"x\"");
        var a = Assert.Single(r1.Actions);
        Assert.Equal(0, a.Id);
        Assert.Equal("A", a.ScheduleTask.Name);
        Assert.Equal("\"x\"", a.ScheduleTask.Input);

        var r2 = h.Run(Completed(0, "\"ra\""));
        var b = Assert.Single(r2.Actions);
        Assert.Equal(1, b.Id);
        Assert.Equal("B", b.ScheduleTask.Name);
        Assert.Equal("\"ra\"", b.ScheduleTask.Input);

        var r3 = h.Run(Completed(1, "\"rb\""));
        var done = Assert.Single(r3.Actions);
        Assert.Equal(2, done.Id);
        Assert.Equal(OrchestrationStatus.Completed, done.CompleteOrchestration.OrchestrationStatus);
        Assert.Equal("\"rb\"", done.CompleteOrchestration.Result);
    }

    [Fact]
    public void Same_history_replayed_gives_the_same_actions_and_matched_actions_are_not_returned()
    {
        var h = Harness("o", TwoActivities);
        h.Start("o", "\"x\"");
        h.Run(Completed(0, "\"ra\""));

        // Everything in history is matched: nothing new to do.
        Assert.Empty(h.Replay().Actions);

        // Replaying the same request twice is byte-identical.
        var request = new OrchestratorRequest { InstanceId = h.InstanceId };
        request.PastEvents.AddRange(h.History.Take(4));
        request.NewEvents.Add(Completed(0, "\"ra\""));
        var first = h.Executor.Execute(request).ToByteArray();
        var second = h.Executor.Execute(request).ToByteArray();
        Assert.Equal(first, second);
        Assert.Equal("B", OrchestratorResponse.Parser.ParseFrom(first).Actions.Single().ScheduleTask.Name);
    }

    [Fact]
    public void Changed_orchestrator_is_detected_as_non_deterministic()
    {
        var h = Harness("o", TwoActivities);
        h.Start("o", "\"x\"");
        h.Run(Completed(0, "\"ra\""));

        var changed = new OrchestrationExecutor(new OrchestratorRegistry().Add("o", async (ctx, _) =>
        {
            await ctx.CallActivityAsync<string>("C");
            return null;
        }), new ServiceCollection().BuildServiceProvider());
        var r = h.Replay(changed);
        var action = Assert.Single(r.Actions);
        Assert.Equal(OrchestrationStatus.Failed, action.CompleteOrchestration.OrchestrationStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, action.CompleteOrchestration.FailureDetails.ErrorType);
        Assert.Contains("'A'", action.CompleteOrchestration.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("'C'", action.CompleteOrchestration.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Orchestrator_doing_less_than_its_history_is_detected()
    {
        var h = Harness("o", TwoActivities);
        h.Start("o", "\"x\"");
        var changed = new OrchestrationExecutor(new OrchestratorRegistry().Add("o", (ctx, _) => ctx.WaitForExternalEvent<object>("never")),
            new ServiceCollection().BuildServiceProvider());
        var r = h.Replay(changed);
        Assert.Equal(OrchestrationStatus.Failed, Completion(r).OrchestrationStatus);
        Assert.Contains("did not create", Completion(r).FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Activity_failure_without_retry_fails_the_orchestration_with_inner_failure()
    {
        var h = Harness("o", TwoActivities);
        h.Start("o", "\"x\"");
        var r = h.Run(Failed(0, "pms down"));
        var c = Completion(r);
        Assert.Equal(OrchestrationStatus.Failed, c.OrchestrationStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, c.FailureDetails.ErrorType);
        Assert.Equal("pms down", c.FailureDetails.InnerFailure.ErrorMessage);
    }

    [Fact]
    public void Activity_failure_is_caught_by_orchestrator_code()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            try
            {
                await ctx.CallActivityAsync("A");
                return "ok";
            }
            catch (TaskFailedException ex)
            {
                return $"caught {ex.ActivityName}: {ex.ErrorMessage}";
            }
        });
        h.Start("o");
        Assert.Equal("\"caught A: boom\"", Completion(h.Run(Failed(0, "boom"))).Result);
    }

    [Fact]
    public void Retry_uses_durable_timers_with_exponential_backoff_and_max_attempts()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0);
        var h = Harness("o", async (ctx, _) => await ctx.CallActivityAsync<int>("A", null, policy));
        Assert.Equal("A", h.Start("o").Actions.Single().ScheduleTask.Name);

        var t1 = h.Run(Failed(0, "e1")).Actions.Single();
        Assert.Equal(1, t1.Id);
        Assert.Equal(T0.AddSeconds(1), t1.CreateTimer.FireAt.ToDateTime());

        h.Now = T0.AddSeconds(1);
        var retry1 = h.Run(Fired(1, T0.AddSeconds(1))).Actions.Single();
        Assert.Equal((2, "A"), (retry1.Id, retry1.ScheduleTask.Name));

        var t2 = h.Run(Failed(2, "e2")).Actions.Single();
        Assert.Equal(T0.AddSeconds(1 + 2), t2.CreateTimer.FireAt.ToDateTime());

        h.Now = T0.AddSeconds(3);
        Assert.Equal(4, h.Run(Fired(3, T0.AddSeconds(3))).Actions.Single().Id);

        // Third failure: max attempts reached → the orchestration fails.
        var c = Completion(h.Run(Failed(4, "e3")));
        Assert.Equal(OrchestrationStatus.Failed, c.OrchestrationStatus);
        Assert.Equal("e3", c.FailureDetails.InnerFailure.ErrorMessage);
    }

    [Fact]
    public void Retry_succeeds_on_second_attempt()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(5));
        var h = Harness("o", async (ctx, _) => await ctx.CallActivityAsync<int>("A", null, policy));
        h.Start("o");
        h.Run(Failed(0, "e1"));
        h.Run(Fired(1, T0.AddSeconds(5)));
        Assert.Equal("7", Completion(h.Run(Completed(2, "7"))).Result);
    }

    [Fact]
    public void RetryPolicy_caps_delay_at_max_interval()
    {
        var p = new RetryPolicy(10, TimeSpan.FromSeconds(1), 3, TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(1), p.DelayBefore(2));
        Assert.Equal(TimeSpan.FromSeconds(3), p.DelayBefore(3));
        Assert.Equal(TimeSpan.FromSeconds(5), p.DelayBefore(4));
    }

    [Fact]
    public void Timer_completes_when_fired_and_current_time_follows_orchestrator_started()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddHours(1));
            return ctx.CurrentUtcDateTime;
        });
        var timer = h.Start("o").Actions.Single();
        Assert.Equal(T0.AddHours(1), timer.CreateTimer.FireAt.ToDateTime());
        h.Now = T0.AddHours(1).AddSeconds(2);
        var c = Completion(h.Run(Fired(0, T0.AddHours(1))));
        Assert.Equal(OrchestrationJson.Serialize(T0.AddHours(1).AddSeconds(2)), c.Result);
    }

    [Fact]
    public void Timers_longer_than_three_days_are_split_into_a_chain()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddDays(7));
            return "woke";
        });
        var t1 = h.Start("o").Actions.Single();
        Assert.Equal(T0.AddDays(3), t1.CreateTimer.FireAt.ToDateTime());
        h.Now = T0.AddDays(3);
        var t2 = h.Run(Fired(0, T0.AddDays(3))).Actions.Single();
        Assert.Equal(T0.AddDays(6), t2.CreateTimer.FireAt.ToDateTime());
        h.Now = T0.AddDays(6);
        var t3 = h.Run(Fired(1, T0.AddDays(6))).Actions.Single();
        Assert.Equal(T0.AddDays(7), t3.CreateTimer.FireAt.ToDateTime());
        h.Now = T0.AddDays(7);
        Assert.Equal("\"woke\"", Completion(h.Run(Fired(2, T0.AddDays(7)))).Result);
    }

    [Fact]
    public void Event_raised_before_it_is_awaited_is_buffered_and_names_are_case_insensitive()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await ctx.CallActivityAsync("A");
            var first = await ctx.WaitForExternalEvent<string>("Msg");
            var second = await ctx.WaitForExternalEvent<string>("MSG");
            return first + second;
        });
        var r1 = h.Start("o", null, Raised("msg", "\"1\""), Raised("mSg", "\"2\""));
        Assert.Equal("A", r1.Actions.Single().ScheduleTask.Name);
        Assert.Equal("\"12\"", Completion(h.Run(Completed(0, null))).Result);
    }

    private static async Task<object?> WaitWithTimeout(IOrchestrationContext ctx, string? _)
    {
        try
        {
            return await ctx.WaitForExternalEvent<string>("answer", TimeSpan.FromMinutes(10));
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
    }

    [Fact]
    public void Wait_with_timeout_returns_the_event_when_it_arrives_first()
    {
        var h = Harness("o", WaitWithTimeout);
        var timer = h.Start("o").Actions.Single();
        Assert.Equal(T0.AddMinutes(10), timer.CreateTimer.FireAt.ToDateTime());
        Assert.Equal("\"yes\"", Completion(h.Run(Raised("answer", "\"yes\""))).Result);
    }

    [Fact]
    public void Wait_with_timeout_throws_TimeoutException_when_the_timer_fires_first()
    {
        var h = Harness("o", WaitWithTimeout);
        h.Start("o");
        h.Now = T0.AddMinutes(10);
        Assert.Equal("\"timeout\"", Completion(h.Run(Fired(0, T0.AddMinutes(10)))).Result);
    }

    [Fact]
    public void Late_event_after_timeout_stays_buffered_for_the_next_wait()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            try
            {
                await ctx.WaitForExternalEvent<string>("e", TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
            }

            await ctx.CallActivityAsync("A");
            return await ctx.WaitForExternalEvent<string>("e");
        });
        h.Start("o");
        Assert.Equal("A", h.Run(Fired(0, T0.AddSeconds(1))).Actions.Single().ScheduleTask.Name);
        h.Run(Raised("e", "\"late\""));
        Assert.Equal("\"late\"", Completion(h.Run(Completed(1, null))).Result);
    }

    [Fact]
    public void Continue_as_new_carries_unprocessed_events_only()
    {
        var h = Harness("o", async (ctx, input) =>
        {
            var n = OrchestrationJson.Deserialize<int>(input);
            var msg = await ctx.WaitForExternalEvent<string>("msg");
            ctx.SetCustomStatus(new { n, last = msg });
            ctx.ContinueAsNew(n + 1);
            return null;
        });
        var r = h.Start("o", "0", Raised("msg", "\"a\""), Raised("other", "1"), Raised("msg", "\"b\""));
        var c = Completion(r);
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, c.OrchestrationStatus);
        Assert.Equal("1", c.Result);
        Assert.Equal(["other", "msg"], c.CarryoverEvents.Select(e => e.EventRaised.Name));
        Assert.Equal("\"b\"", c.CarryoverEvents[1].EventRaised.Input);
        Assert.Equal("{\"n\":0,\"last\":\"a\"}", r.CustomStatus);
    }

    [Fact]
    public void Continue_as_new_without_preserving_drops_events()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await ctx.WaitForExternalEvent<string>("msg");
            ctx.ContinueAsNew(null, preserveUnprocessedEvents: false);
            return null;
        });
        var c = Completion(h.Start("o", null, Raised("msg", "\"1\""), Raised("msg", "\"2\"")));
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, c.OrchestrationStatus);
        Assert.Empty(c.CarryoverEvents);
    }

    [Fact]
    public void Terminate_completes_with_terminated_status_and_only_that_action()
    {
        var h = Harness("o", TwoActivities);
        h.Start("o", "\"x\"");
        var r = h.Run(Terminated("\"guest left\""));
        var a = Assert.Single(r.Actions);
        Assert.Equal(OrchestrationStatus.Terminated, a.CompleteOrchestration.OrchestrationStatus);
        Assert.Equal("\"guest left\"", a.CompleteOrchestration.Result);
    }

    [Fact]
    public void Awaiting_a_non_durable_task_is_detected()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30)); // long enough never to be complete when awaited
            return null;
        });
        var c = Completion(h.Start("o"));
        Assert.Equal(OrchestrationStatus.Failed, c.OrchestrationStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, c.FailureDetails.ErrorType);
        Assert.Contains("not a durable task", c.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_durable_await_after_a_durable_one_is_detected()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await ctx.CallActivityAsync("A");
            await Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
                return 1;
            });
            return null;
        });
        h.Start("o");
        Assert.Equal(OrchestrationStatus.Failed, Completion(h.Run(Completed(0, null))).OrchestrationStatus);
    }

    [Fact]
    public void Task_Yield_and_WhenAll_of_durable_tasks_are_fine()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            await Task.Yield();
            var results = await Task.WhenAll(ctx.CallActivityAsync<int>("A"), ctx.CallActivityAsync<int>("B"));
            return results.Sum();
        });
        Assert.Equal(2, h.Start("o").Actions.Count);
        h.Run(Completed(1, "2"));
        Assert.Equal("5", Completion(h.Run(Completed(0, "3"))).Result);
    }

    [Fact]
    public void Unhandled_exception_fails_with_details()
    {
        var h = Harness("o", (ctx, _) => throw new ArgumentException("bad input"));
        var c = Completion(h.Start("o"));
        Assert.Equal(OrchestrationStatus.Failed, c.OrchestrationStatus);
        Assert.Equal(typeof(ArgumentException).FullName, c.FailureDetails.ErrorType);
        Assert.Equal("bad input", c.FailureDetails.ErrorMessage);
    }

    [Fact]
    public void Unknown_orchestrator_fails_clearly()
    {
        var h = Harness("o", TwoActivities);
        var c = Completion(h.Start("nope"));
        Assert.Equal(OrchestrationStatus.Failed, c.OrchestrationStatus);
        Assert.Contains("'nope' is not registered", c.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NewGuid_IsReplaying_and_replay_safe_logger_are_deterministic()
    {
        var guids = new List<Guid>();
        var replaying = new List<bool>();
        var logger = new CountingLogger();
        var h = Harness("o", async (ctx, _) =>
        {
            var log = ctx.CreateReplaySafeLogger(logger);
            guids.Add(ctx.NewGuid());
            replaying.Add(ctx.IsReplaying);
            log.LogInformation("before");
            await ctx.CallActivityAsync("A");
            replaying.Add(ctx.IsReplaying);
            log.LogInformation("after");
            return ctx.InstanceId + "/" + ctx.ExecutionId;
        });
        h.Start("o");
        var c = Completion(h.Run(Completed(0, null)));
        Assert.Equal("\"inst-1/exec-1\"", c.Result);
        Assert.Equal(guids[0], guids[1]);
        Assert.Equal(5, (guids[0].ToByteArray(bigEndian: true)[6] >> 4));
        Assert.Equal([false, true, false], replaying);
        Assert.Equal(2, logger.Count); // "before" once, "after" once
    }

    [Fact]
    public void SendEvent_is_an_action_matched_by_event_sent()
    {
        var h = Harness("o", async (ctx, _) =>
        {
            ctx.SendEvent("other", "ping", new { x = 1 });
            await ctx.CallActivityAsync("A");
            return null;
        });
        var r = h.Start("o");
        Assert.Equal([Case.SendEvent, Case.ScheduleTask], r.Actions.Select(a => a.OrchestratorActionTypeCase));
        Assert.Equal("{\"x\":1}", r.Actions[0].SendEvent.Data);
        var done = h.Run(Completed(1, null));
        Assert.Equal(Case.CompleteOrchestration, done.Actions.Single().OrchestratorActionTypeCase);
    }

    [Fact]
    public void Trigger_handler_decodes_and_encodes_base64_protobuf()
    {
        var registry = new OrchestratorRegistry().Add("o", TwoActivities);
        var handler = new OrchestrationTriggerHandler(new OrchestrationExecutor(registry, new ServiceCollection().BuildServiceProvider()));
        var h = new ReplayHarness(registry);
        var request = new OrchestratorRequest { InstanceId = "inst-1" };
        request.NewEvents.Add(h.Started("o", "\"x\""));
        var response = OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(handler.Handle(Convert.ToBase64String(request.ToByteArray()))));
        Assert.Equal("inst-1", response.InstanceId);
        Assert.Equal("A", response.Actions.Single().ScheduleTask.Name);
        Assert.Throws<FormatException>(() => handler.Handle("not base64!"));
    }

    [Fact]
    public void Typed_orchestrator_base_class_round_trips_json()
    {
        var h = new ReplayHarness(new OrchestratorRegistry().Add("t", _ => new Doubler()));
        var c = Completion(h.Start("t", "{\"value\":21}"));
        Assert.Equal("{\"value\":42}", c.Result);
    }

    private sealed record Num(int Value);

    private sealed class Doubler : Orchestrator<Num, Num>
    {
        public override Task<Num> RunAsync(IOrchestrationContext context, Num? input) => Task.FromResult(new Num(input!.Value * 2));
    }

    private sealed class CountingLogger : ILogger
    {
        public int Count { get; private set; }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Count++;
    }
}
