using System.Collections.Concurrent;
using System.Diagnostics;
using HotelAgent.Core.Orchestration;
using HotelAgent.Tests.Fakes.Orchestration;
using static HotelAgent.Tests.Fakes.Orchestration.ConversationScenario;

namespace HotelAgent.Tests.Orchestration;

/// <summary>
/// Real crash test: the standalone engine runs in a child process (this test assembly launched with a .NET startup
/// hook), which is killed with SIGKILL while a reply activity is in flight; a new engine then continues on the same file.
/// </summary>
public sealed class ProcessKillDurabilityTests : IDisposable
{
    private readonly EngineFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Sigkilled_process_loses_nothing_and_repeats_no_committed_step()
    {
        var assembly = typeof(ProcessKillDurabilityTests).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment["HOTELAGENT_ORCH_KILL_TEST_DIR"] = _factory.Directory;
        using var child = Process.Start(start)!;
        try
        {
            await EngineFactory.WaitUntilAsync(() => Task.FromResult(
                File.Exists(Path.Combine(_factory.Directory, "inflight.marker")) &&
                File.Exists(Path.Combine(_factory.Directory, "raised.marker")) ||
                File.Exists(Path.Combine(_factory.Directory, "child-error.txt")) || child.HasExited), "child in flight", 60000);
            Assert.False(File.Exists(Path.Combine(_factory.Directory, "child-error.txt")),
                File.Exists(Path.Combine(_factory.Directory, "child-error.txt")) ? File.ReadAllText(Path.Combine(_factory.Directory, "child-error.txt")) : "");
            if (child.HasExited)
            {
                Assert.Fail("child exited early: " + await child.StandardError.ReadToEndAsync());
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL: no graceful stop, no drain
            await child.WaitForExitAsync();
        }

        var childLog = (await File.ReadAllLinesAsync(Path.Combine(_factory.Directory, "child-sends.log"))).ToList();
        Assert.Equal(["start:echo:uno", "done:echo:uno", "start:echo:dos"], childLog);

        var completed = new ConcurrentQueue<string>();
        var activities = new ActivityRegistry().Add<SendInput, bool>("send", (input, _) =>
        {
            completed.Enqueue(input!.Text);
            return Task.FromResult(true);
        });
        using var engine = _factory.Create(Orchestrators(), activities);
        await engine.StartAsync(CancellationToken.None);
        await EngineFactory.WaitUntilAsync(async () => await TurnsAsync(engine, "wa:kill") == 3, "turns 2 and 3 after the kill");

        // "uno" was committed before the kill and is not sent again; "dos" (in flight) runs again; "tres" is not lost.
        Assert.Equal(["echo:dos", "echo:tres"], completed);
        await engine.StopAsync(CancellationToken.None);
    }
}
