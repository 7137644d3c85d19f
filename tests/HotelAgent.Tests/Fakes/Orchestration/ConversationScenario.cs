using HotelAgent.Core.Orchestration;

namespace HotelAgent.Tests.Fakes.Orchestration;

/// <summary>Echo conversation used by the engine tests and the killed child process.</summary>
public static class ConversationScenario
{
    public sealed record ConvState(int Turn);

    public sealed record SendInput(string To, string Text, int Turn);

    /// <summary>One event per inbound message, one "send" activity per reply, continue-as-new every turn.</summary>
    public static OrchestratorRegistry Orchestrators() => new OrchestratorRegistry().Add("conversation", async (ctx, input) =>
    {
        var state = OrchestrationJson.Deserialize<ConvState>(input) ?? new ConvState(0);
        var message = await ctx.WaitForExternalEvent<string>("message");
        var turn = state.Turn + 1;
        await ctx.CallActivityAsync("send", new SendInput(ctx.InstanceId, "echo:" + message, turn), new RetryPolicy(3, TimeSpan.FromMilliseconds(50)));
        ctx.SetCustomStatus(new { stage = "chatting", turns = turn, last = message });
        ctx.ContinueAsNew(new ConvState(turn));
        return null;
    });

    public static async Task<int> TurnsAsync(IDurableClient client, string id)
    {
        var status = await client.GetStatusAsync(id);
        if (status?.CustomStatus is null)
        {
            return 0;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(status.CustomStatus);
        return doc.RootElement.GetProperty("turns").GetInt32();
    }

    /// <summary>
    /// Child-process side of the SIGKILL test: runs turn 1, then turn 2's reply hangs, turn 3 is queued, and the
    /// process waits to be killed. Progress is reported with marker files in <paramref name="dir"/>.
    /// </summary>
    public static async Task RunChildAsync(string dir)
    {
        var log = Path.Combine(dir, "child-sends.log");
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", async (input, ct) =>
        {
            await File.AppendAllTextAsync(log, "start:" + input!.Text + "\n", ct);
            if (input.Text == "echo:dos")
            {
                await File.WriteAllTextAsync(Path.Combine(dir, "inflight.marker"), "1", ct);
                await Task.Delay(Timeout.Infinite, ct);
            }

            await File.AppendAllTextAsync(log, "done:" + input.Text + "\n", ct);
            return true;
        });
        var factory = new EngineFactory(dir, deleteOnDispose: false); // lives until the process is killed
        var engine = factory.Create(Orchestrators(), activities);
        await engine.StartAsync(CancellationToken.None);
        await engine.StartOrRaiseAsync("conversation", "wa:kill", "message", "\"uno\"", null);
        await EngineFactory.WaitUntilAsync(async () => await TurnsAsync(engine, "wa:kill") == 1, "turn 1 in child");
        await engine.RaiseEventAsync("wa:kill", "message", "\"dos\"");
        await engine.RaiseEventAsync("wa:kill", "message", "\"tres\"");
        await File.WriteAllTextAsync(Path.Combine(dir, "raised.marker"), "1");
    }
}
