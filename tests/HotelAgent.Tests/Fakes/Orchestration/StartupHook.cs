#pragma warning disable CA1050 // The runtime requires StartupHook in the global namespace.
/// <summary>
/// .NET startup hook (DOTNET_STARTUP_HOOKS) used only by the SIGKILL durability test: when the test assembly is
/// launched as a child process with HOTELAGENT_ORCH_KILL_TEST_DIR set, it runs the conversation scenario and then
/// blocks until the parent kills it. Without that variable it does nothing.
/// </summary>
public static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var dir = Environment.GetEnvironmentVariable("HOTELAGENT_ORCH_KILL_TEST_DIR");
        if (string.IsNullOrEmpty(dir))
        {
            return;
        }

        try
        {
            HotelAgent.Tests.Fakes.Orchestration.ConversationScenario.RunChildAsync(dir).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            File.WriteAllText(Path.Combine(dir, "child-error.txt"), ex.ToString());
        }

        Thread.Sleep(Timeout.Infinite);
    }
}
