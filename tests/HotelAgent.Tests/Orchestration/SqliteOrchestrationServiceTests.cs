using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using HotelAgent.Core.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Tests.Orchestration;

/// <summary>The embedded backend's client contract (the worker side runs in every conversation test).</summary>
public sealed class SqliteOrchestrationServiceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ha-sqlite-durable-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_dir, "orchestrations.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void A_second_process_on_the_same_data_directory_is_refused_until_the_first_is_gone()
    {
        var first = new SqliteOrchestrationService(DatabasePath);
        var refused = Assert.Throws<InvalidOperationException>(() => new SqliteOrchestrationService(DatabasePath));
        Assert.Contains("one process per data directory", refused.Message, StringComparison.Ordinal);

        first.Dispose();
        using var second = new SqliteOrchestrationService(DatabasePath);
        Assert.Equal(Path.GetFullPath(DatabasePath), second.DatabasePath);
    }

    [Fact]
    public async Task A_start_with_dedupe_statuses_never_replaces_an_active_instance_and_one_without_does()
    {
        using var service = new SqliteOrchestrationService(DatabasePath);
        await service.CreateIfNotExistsAsync();
        var client = new OrchestrationServiceDurableClient(service);
        var dedupe = new StartOrchestrationOptions("conv-a").WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running);

        await client.ScheduleNewOrchestrationInstanceAsync("Echo", new { n = 1 }, dedupe);
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => client.ScheduleNewOrchestrationInstanceAsync("Echo", new { n = 2 }, dedupe));
        var kept = await client.GetInstanceAsync("conv-a", getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, kept!.RuntimeStatus);
        Assert.Equal("{\"n\":1}", kept.SerializedInput);

        await client.ScheduleNewOrchestrationInstanceAsync("Echo", new { n = 3 }, new StartOrchestrationOptions("conv-a"));
        Assert.Equal("{\"n\":3}", (await client.GetInstanceAsync("conv-a", getInputsAndOutputs: true))!.SerializedInput);
    }

    [Fact]
    public async Task Events_for_unknown_instances_are_dropped_and_listing_filters_by_prefix()
    {
        using var service = new SqliteOrchestrationService(DatabasePath);
        await service.CreateIfNotExistsAsync();
        var client = new OrchestrationServiceDurableClient(service);
        await client.ScheduleNewOrchestrationInstanceAsync("Echo", null, new StartOrchestrationOptions("conv-b"));
        await client.ScheduleNewOrchestrationInstanceAsync("Echo", null, new StartOrchestrationOptions("other-c"));

        await client.RaiseEventAsync("conv-missing", "ConversationEvent", new { text = "hola" });
        Assert.Null(await client.GetInstanceAsync("conv-missing"));

        var listed = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "conv-" }))
        {
            listed.Add(instance.InstanceId);
        }

        Assert.Equal(["conv-b"], listed);
    }

    [Fact]
    public async Task A_started_instance_survives_a_new_service_on_the_same_file_with_its_raised_events_in_order()
    {
        var first = new SqliteOrchestrationService(DatabasePath);
        await first.CreateIfNotExistsAsync();
        var client = new OrchestrationServiceDurableClient(first);
        await client.ScheduleNewOrchestrationInstanceAsync("Echo", null, new StartOrchestrationOptions("conv-d"));
        await client.RaiseEventAsync("conv-d", "ConversationEvent", "uno");
        await client.RaiseEventAsync("conv-d", "ConversationEvent", "dos");
        first.Dispose(); // like a killed process: nothing was processed

        using var second = new SqliteOrchestrationService(DatabasePath);
        await second.StartAsync();
        var item = await second.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.NotNull(item);
        Assert.Equal("conv-d", item.InstanceId);
        Assert.IsType<ExecutionStartedEvent>(item.NewMessages[0].Event);
        Assert.Equal(["\"uno\"", "\"dos\""], item.NewMessages.Skip(1).Select(m => ((EventRaisedEvent)m.Event).Input));
        await second.StopAsync();
    }
}
