using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using HotelAgent.Core.Orchestration;
using HotelAgent.Tests.Fakes.Orchestration;
using static HotelAgent.Tests.Fakes.Orchestration.ConversationScenario;

namespace HotelAgent.Tests.Orchestration;

public sealed class StandaloneOrchestrationEngineTests(ITestOutputHelper output) : IDisposable
{
    private readonly EngineFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static OrchestratorRegistry Conversation() => ConversationScenario.Orchestrators();

    private static Task<int> Turns(IDurableClient client, string id) => ConversationScenario.TurnsAsync(client, id);

    [Fact]
    public async Task Multi_turn_conversation_via_events_replies_in_order()
    {
        var sent = new ConcurrentQueue<SendInput>();
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            sent.Enqueue(input!);
            return Task.FromResult(true);
        });
        using var engine = _factory.Create(Conversation(), activities);
        await engine.StartAsync(CancellationToken.None);

        Assert.Equal(StartOrRaiseOutcome.Started, await engine.StartOrRaiseAsync("conversation", "wa:34600", "message", "\"hola\"", null));
        Assert.Equal(StartOrRaiseOutcome.Raised, await engine.StartOrRaiseAsync("conversation", "wa:34600", "message", "\"una habitación\"", null));
        Assert.Equal(StartOrRaiseOutcome.Raised, await engine.StartOrRaiseAsync("conversation", "wa:34600", "message", "\"gracias\"", null));

        await EngineFactory.WaitUntilAsync(async () => await Turns(engine, "wa:34600") == 3, "three turns");
        Assert.Equal(["echo:hola", "echo:una habitación", "echo:gracias"], sent.Select(s => s.Text));
        Assert.Equal([1, 2, 3], sent.Select(s => s.Turn));
        // After continue-as-new the next generation starts in its own step.
        await EngineFactory.WaitUntilAsync(async () =>
            (await engine.GetStatusAsync("wa:34600", showHistory: true))!.HistoryJson!.Contains("executionStarted", StringComparison.Ordinal), "new generation");
        var status = await engine.GetStatusAsync("wa:34600", showHistory: true);
        Assert.NotNull(status);
        Assert.Equal(OrchestrationRuntimeStatus.Running, status.RuntimeStatus);
        Assert.Equal("conversation", status.Name);
        Assert.Contains("\"last\":\"gracias\"", status.CustomStatus, StringComparison.Ordinal);
        Assert.Equal("{\"turn\":3}", status.Input); // bounded history: the generation restarted with the new state
        Assert.Contains("executionStarted", status.HistoryJson, StringComparison.Ordinal);
        Assert.DoesNotContain("hola", status.HistoryJson, StringComparison.Ordinal);
        await engine.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Turn_latency_is_low_with_in_process_signalling(bool durableAgainstPowerLoss)
    {
        var replies = new SemaphoreSlim(0);
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            replies.Release();
            return Task.FromResult(true);
        });
        // A long poll interval proves that progress does not depend on polling.
        using var engine = _factory.Create(Conversation(), activities,
            new StandaloneEngineOptions { PollInterval = TimeSpan.FromSeconds(30), DurableAgainstPowerLoss = durableAgainstPowerLoss });
        await engine.StartAsync(CancellationToken.None);
        await engine.StartOrRaiseAsync("conversation", "c1", "message", "\"warmup\"", null);
        Assert.True(await replies.WaitAsync(TimeSpan.FromSeconds(5)));

        const int Turns = 10;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < Turns; i++)
        {
            await engine.RaiseEventAsync("c1", "message", $"\"m{i}\"");
            Assert.True(await replies.WaitAsync(TimeSpan.FromSeconds(5)), "turn " + i);
        }

        var perTurn = sw.Elapsed / Turns;
        output.WriteLine($"mean event-to-reply latency (synchronous={(durableAgainstPowerLoss ? "FULL" : "NORMAL")}): {perTurn.TotalMilliseconds:F1} ms");
        Assert.True(perTurn < TimeSpan.FromMilliseconds(500), $"a turn took {perTurn.TotalMilliseconds} ms");
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Killed_engine_mid_activity_restarts_and_continues_without_losing_or_repeating_committed_steps()
    {
        var started = new ConcurrentDictionary<string, int>();
        var completed = new ConcurrentQueue<string>();
        var inFlight = new TaskCompletionSource();

        // Engine A: the reply to "dos" hangs (the process dies while it runs).
        var activitiesA = new ActivityRegistry().Add<SendInput, bool>("send", async (input, ct) =>
        {
            started.AddOrUpdate(input!.Text, 1, (_, n) => n + 1);
            if (input.Text == "echo:dos")
            {
                inFlight.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            completed.Enqueue(input.Text);
            return true;
        });
        var engineA = _factory.Create(Conversation(), activitiesA);
        await engineA.StartAsync(CancellationToken.None);
        await engineA.StartOrRaiseAsync("conversation", "wa:1", "message", "\"uno\"", null);
        await EngineFactory.WaitUntilAsync(async () => await Turns(engineA, "wa:1") == 1, "turn 1 committed");
        await engineA.RaiseEventAsync("wa:1", "message", "\"dos\"");
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await engineA.RaiseEventAsync("wa:1", "message", "\"tres\"")); // accepted while "dos" is in flight

        engineA.Dispose(); // abrupt: no StopAsync, nothing drained, nothing committed from now on

        // Engine B: a fresh process on the same file.
        var activitiesB = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            started.AddOrUpdate(input!.Text, 1, (_, n) => n + 1);
            completed.Enqueue(input.Text);
            return Task.FromResult(true);
        });
        using var engineB = _factory.Create(Conversation(), activitiesB);
        await engineB.StartAsync(CancellationToken.None);
        await EngineFactory.WaitUntilAsync(async () => await Turns(engineB, "wa:1") == 3, "turns 2 and 3 after restart");

        Assert.Equal(["echo:uno", "echo:dos", "echo:tres"], completed);
        Assert.Equal(1, started["echo:uno"]);  // committed step not repeated
        Assert.Equal(2, started["echo:dos"]);  // in-flight activity re-run once (at-least-once)
        Assert.Equal(1, started["echo:tres"]);
        await engineB.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Killed_engine_between_turns_continues_after_restart()
    {
        var sent = new ConcurrentQueue<string>();
        ActivityRegistry Activities() => new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            sent.Enqueue(input!.Text);
            return Task.FromResult(true);
        });

        var engineA = _factory.Create(Conversation(), Activities());
        await engineA.StartAsync(CancellationToken.None);
        await engineA.StartOrRaiseAsync("conversation", "em:guest@example.com", "message", "\"hello\"", null);
        await EngineFactory.WaitUntilAsync(async () => await Turns(engineA, "em:guest@example.com") == 1, "turn 1");
        engineA.Dispose();

        using var engineB = _factory.Create(Conversation(), Activities());
        await engineB.StartAsync(CancellationToken.None);
        Assert.Equal(StartOrRaiseOutcome.Raised, await engineB.StartOrRaiseAsync("conversation", "em:guest@example.com", "message", "\"again\"", null));
        await EngineFactory.WaitUntilAsync(async () => await Turns(engineB, "em:guest@example.com") == 2, "turn 2");
        Assert.Equal(["echo:hello", "echo:again"], sent);
        await engineB.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Events_raised_before_the_engine_runs_are_kept_and_processed_in_order()
    {
        var sent = new ConcurrentQueue<string>();
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            sent.Enqueue(input!.Text);
            return Task.FromResult(true);
        });
        using var engine = _factory.Create(Conversation(), activities);

        // Not started yet: start + 3 events are only written to the store (pending instance buffers events).
        await engine.StartNewAsync("conversation", "x", null);
        foreach (var m in new[] { "a", "b", "c" })
        {
            Assert.True(await engine.RaiseEventAsync("x", "message", $"\"{m}\""));
        }

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await engine.GetStatusAsync("x"))!.RuntimeStatus);
        await engine.StartAsync(CancellationToken.None);
        await EngineFactory.WaitUntilAsync(async () => await Turns(engine, "x") == 3, "three turns");
        Assert.Equal(["echo:a", "echo:b", "echo:c"], sent);
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Many_instances_process_their_events_in_order_and_never_run_concurrently_per_instance()
    {
        const int Instances = 50;
        const int Events = 5;
        var orchestrators = new OrchestratorRegistry().Add("collect", async (ctx, _) =>
        {
            var received = new List<int>();
            for (var i = 0; i < Events; i++)
            {
                var n = await ctx.WaitForExternalEvent<int>("n");
                received.Add(await ctx.CallActivityAsync<int>("echo", n));
            }

            return received;
        });
        var activities = new ActivityRegistry().Add<int, int>("echo", (n, _) => Task.FromResult(n));
        using var engine = _factory.Create(orchestrators, activities, new StandaloneEngineOptions { MaxConcurrentOrchestrations = 4, PollInterval = TimeSpan.FromMilliseconds(200) });
        var active = new ConcurrentDictionary<string, int>();
        var violations = 0;
        var running = 0;
        var maxRunning = 0;
        engine.StepObserver = (id, begin) =>
        {
            if (begin)
            {
                if (active.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                var now = Interlocked.Increment(ref running);
                int seen;
                while (now > (seen = Volatile.Read(ref maxRunning)) && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
                {
                }

                // Steps take well under a millisecond; on a loaded machine they may never overlap by chance.
                // Holding each step open briefly makes parallelism (or its absence) observable.
                Thread.Sleep(2);
            }
            else
            {
                active.AddOrUpdate(id, 0, (_, n) => n - 1);
                Interlocked.Decrement(ref running);
            }
        };
        await engine.StartAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, Instances).Select(async i =>
        {
            var id = $"conv-{i:D2}";
            await engine.StartNewAsync("collect", id, null);
            for (var e = 0; e < Events; e++)
            {
                Assert.True(await engine.RaiseEventAsync(id, "n", (e * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }));

        await EngineFactory.WaitUntilAsync(async () =>
            (await engine.ListAsync(new OrchestrationQuery { RuntimeStatus = [OrchestrationRuntimeStatus.Completed], Top = 1000 })).Count == Instances,
            "all instances completed", 60000);

        var all = await engine.ListAsync(new OrchestrationQuery { InstanceIdPrefix = "conv-", Top = 1000 });
        Assert.Equal(Instances, all.Count);
        Assert.All(all, s => Assert.Equal("[0,10,20,30,40]", s.Output));
        Assert.Equal(0, violations);
        Assert.True(maxRunning > 1, "instances should run in parallel");
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Durable_timer_fires_for_wait_with_timeout_and_event_wins_when_it_arrives_first()
    {
        var orchestrators = new OrchestratorRegistry().Add("ask", async (ctx, _) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("answer", TimeSpan.FromMilliseconds(300));
            }
            catch (TimeoutException)
            {
                return "timeout";
            }
        });
        using var engine = _factory.Create(orchestrators, new ActivityRegistry());
        await engine.StartAsync(CancellationToken.None);
        await engine.StartNewAsync("ask", "slow", null);
        await engine.StartNewAsync("ask", "fast", null);
        await engine.RaiseEventAsync("fast", "ANSWER", "\"sí\"");

        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("slow"))!.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "timeout", 5000);
        Assert.Equal("\"timeout\"", (await engine.GetStatusAsync("slow"))!.Output);
        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("fast"))!.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "answer", 5000);
        Assert.Equal("\"sí\"", (await engine.GetStatusAsync("fast"))!.Output);
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Activity_failure_retries_then_fails_the_instance()
    {
        var calls = 0;
        var orchestrators = new OrchestratorRegistry().Add("o", async (ctx, _) =>
            await ctx.CallActivityAsync<int>("flaky", null, new RetryPolicy(3, TimeSpan.FromMilliseconds(20))));
        var activities = new ActivityRegistry().Add("flaky", (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("PMS unavailable");
        });
        using var engine = _factory.Create(orchestrators, activities);
        await engine.StartAsync(CancellationToken.None);
        await engine.StartNewAsync("o", "f", null);
        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("f"))!.RuntimeStatus == OrchestrationRuntimeStatus.Failed, "failed", 5000);
        Assert.Equal(3, calls);
        Assert.Contains("PMS unavailable", (await engine.GetStatusAsync("f"))!.Output, StringComparison.Ordinal);
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Client_operations_follow_the_management_api_semantics()
    {
        using var engine = _factory.Create(Conversation(), new ActivityRegistry().Add("send", (_, _) => Task.FromResult<string?>("true")));
        await engine.StartAsync(CancellationToken.None);

        Assert.Null(await engine.GetStatusAsync("nobody"));
        Assert.False(await engine.RaiseEventAsync("nobody", "message", "1"));
        Assert.False(await engine.TerminateAsync("nobody", "x"));

        await engine.StartNewAsync("conversation", "t1", "{\"turn\":0}");
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.StartNewAsync("conversation", "t1", null));
        Assert.False(await engine.PurgeAsync("t1")); // active instances are not purged

        Assert.True(await engine.TerminateAsync("t1", "guest left"));
        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("t1"))!.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, "terminated", 5000);
        var status = await engine.GetStatusAsync("t1");
        Assert.Equal("\"guest left\"", status!.Output);
        Assert.False(await engine.RaiseEventAsync("t1", "message", "1")); // finished: like 410 Gone
        Assert.Single(await engine.ListAsync(new OrchestrationQuery { RuntimeStatus = [OrchestrationRuntimeStatus.Terminated] }));

        // A finished instance can be started again with the same id (start-or-raise restarts the conversation).
        Assert.Equal(StartOrRaiseOutcome.Started, await engine.StartOrRaiseAsync("conversation", "t1", "message", "\"hi\"", null));
        await EngineFactory.WaitUntilAsync(async () => await Turns(engine, "t1") == 1, "restarted conversation");
        Assert.True(await engine.TerminateAsync("t1", null));
        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("t1"))!.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, "terminated again", 5000);
        Assert.True(await engine.PurgeAsync("t1"));
        Assert.Null(await engine.GetStatusAsync("t1"));
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SendEvent_delivers_to_another_instance()
    {
        var orchestrators = new OrchestratorRegistry()
            .Add("receiver", async (ctx, _) => await ctx.WaitForExternalEvent<string>("ping"))
            .Add("sender", (ctx, input) =>
            {
                ctx.SendEvent("rx", "ping", "from " + ctx.InstanceId);
                return Task.FromResult<object?>(null);
            });
        using var engine = _factory.Create(orchestrators, new ActivityRegistry());
        await engine.StartAsync(CancellationToken.None);
        await engine.StartNewAsync("receiver", "rx", null);
        await engine.StartNewAsync("sender", "tx", null);
        await EngineFactory.WaitUntilAsync(async () => (await engine.GetStatusAsync("rx"))!.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "received", 5000);
        Assert.Equal("\"from tx\"", (await engine.GetStatusAsync("rx"))!.Output);
        await engine.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Activity_dispatcher_rejects_unknown_names_and_normalizes_null_input()
    {
        string? seen = "unset";
        var registry = new ActivityRegistry().Add("a", (input, _) =>
        {
            seen = input;
            return Task.FromResult<string?>("1");
        });
        using var services = new ServiceCollection().BuildServiceProvider();
        var dispatcher = new ActivityDispatcher(registry, services.GetRequiredService<IServiceScopeFactory>());
        Assert.Equal("1", await dispatcher.InvokeAsync("A", "null", CancellationToken.None));
        Assert.Null(seen);
        await Assert.ThrowsAsync<ActivityNotFoundException>(() => dispatcher.InvokeAsync("missing", null, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_first_messages_of_one_guest_start_one_instance_and_lose_no_message()
    {
        var sent = new ConcurrentQueue<string>();
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            sent.Enqueue(input!.Text);
            return Task.FromResult(true);
        });
        using var engine = _factory.Create(Conversation(), activities);
        await engine.StartAsync(CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => engine.StartOrRaiseAsync("conversation", "wa:burst", "message", $"\"m{i}\"", null))));

        Assert.Equal(1, outcomes.Count(o => o == StartOrRaiseOutcome.Started));
        await EngineFactory.WaitUntilAsync(async () => await Turns(engine, "wa:burst") == 8, "eight turns");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"echo:m{i}").Order(), sent.Order());
        await engine.StopAsync(CancellationToken.None);
    }
}
