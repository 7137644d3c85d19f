namespace HotelAgent.Tests.Reliability;

/// <summary>
/// SIGKILL of the standalone host (a child process) at seeded random points between the turns of scripted booking
/// conversations; restart on the same data directory, redeliver unacknowledged webhooks as Meta would, finish: no lost
/// conversation, no duplicate booking, no duplicate or missing reply. Kills while a reply is in flight are in the
/// reliability bench (see docs/reliability.md: the Graph API has no idempotency key, so that window is at-least-once).
/// </summary>
public sealed class KillNineReliabilityTests
{
    [Fact]
    public async Task Host_killed_between_turns_and_restarted_loses_no_conversation_and_duplicates_nothing()
    {
        Assert.True(File.Exists(ChildHost.AssemblyPath), "missing " + ChildHost.AssemblyPath);
        Assert.True(File.Exists(Path.ChangeExtension(ChildHost.AssemblyPath, ".runtimeconfig.json")), "missing runtimeconfig next to " + ChildHost.AssemblyPath);
        var result = await KillNineScenario.RunAsync(conversations: 3, seed: 20261121, killProbability: 0.35, inFlightKills: false);
        Assert.True(result.Kills >= 2, $"only {result.Kills} kills: the scenario proves nothing");
        Assert.True(result.Failures.Count == 0, string.Join('\n', result.Failures));
        Assert.True(result.StatusWebhooks > 0, "no signed status webhook was acknowledged by the host");
    }
}

/// <summary>
/// The same SIGKILL scenario (kills between turns) on DurableTask.AzureStorage (Azurite): after each restart the host takes over the killed
/// process's partition leases and messages (short lease and visibility timeouts for the test), and the conversation
/// continues with one reply per message and one booking.
/// </summary>
[Collection(HotelAgent.Tests.Fakes.Storage.AzuriteCollection.Name)]
public sealed class AzureStorageKillNineReliabilityTests(HotelAgent.Tests.Fakes.Storage.AzuriteFixture azurite)
{
    [Fact]
    public async Task Host_on_azure_storage_killed_between_turns_and_restarted_continues_with_one_reply_per_message_and_one_booking()
    {
        var settings = azurite.DurableSettings();
        settings["Durable:AzureStorage:ControlQueueVisibilityTimeout"] = "00:00:05";
        settings["Durable:AzureStorage:WorkItemQueueVisibilityTimeout"] = "00:00:05";
        settings["Durable:AzureStorage:LeaseInterval"] = "00:00:05";
        var result = await KillNineScenario.RunAsync(conversations: 1, seed: 20261202, killProbability: 0.9, inFlightKills: false, settings: settings);
        Assert.True(result.Failures.Count == 0, string.Join('\n', result.Failures));
        Assert.True(result.Kills >= 1, $"only {result.Kills} kills: the scenario proves nothing");
        Assert.Equal(0, result.DuplicateBookings);
        Assert.Equal(0, result.DuplicateReplies);
    }
}
