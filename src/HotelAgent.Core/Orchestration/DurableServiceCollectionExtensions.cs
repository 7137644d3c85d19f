using System.ComponentModel.DataAnnotations;
using DurableTask.AzureStorage;
using DurableTask.Core;
using HotelAgent.Core.Configuration;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Orchestration;

/// <summary>Which <see cref="IOrchestrationService"/> the standalone runtime uses (setting <c>Durable__Backend</c>).</summary>
public enum DurableBackend
{
    /// <summary>The embedded SQLite backend under the data directory (default: no Azure, no keys).</summary>
    Sqlite,

    /// <summary>DurableTask.AzureStorage with <c>AzureWebJobsStorage</c>: the engine and task hub the Functions host uses.</summary>
    AzureStorage,
}

/// <summary>Standalone durable runtime settings (section <c>Durable</c>).</summary>
public sealed class DurableOptions
{
    public const string SectionName = "Durable";

    /// <summary>The task hub (the Durable Functions Monitor opens it; Azure Storage tables and queues are named after it).</summary>
    public const string TaskHubName = "HotelAgentHub";

    public DurableBackend Backend { get; set; } = DurableBackend.Sqlite;

    /// <summary>Task hub name; the Functions host's is set in host.json (<c>extensions.durableTask.hubName</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHub { get; set; } = TaskHubName;

    public AzureStorageDurableOptions AzureStorage { get; set; } = new();
}

/// <summary>
/// DurableTask.AzureStorage settings for standalone use (section <c>Durable:AzureStorage</c>). The defaults favour
/// latency and a quick resume after a crash over storage transactions; see docs/orchestration.md.
/// </summary>
public sealed class AzureStorageDurableOptions
{
    /// <summary>Name of the connection-string setting (the Functions convention).</summary>
    public string ConnectionSetting { get; set; } = "AzureWebJobsStorage";

    /// <summary>Control queues (orchestration partitions); 1-16. One standalone process owns them all.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>Upper bound of the queue polling back-off when idle (library default 30 s; lower = faster first step after a lull).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a fetched message stays invisible: after a kill -9 the work resumes after this (library default 5 minutes).</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc cref="ControlQueueVisibilityTimeout"/>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Partition leases: a restarted process takes over a killed one's partitions after <see cref="LeaseInterval"/>.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keeps orchestrations in memory between work items (no history reload per step).</summary>
    public bool ExtendedSessions { get; set; }

    [Range(1, 256)]
    public int MaxConcurrentOrchestrations { get; set; } = 16;

    [Range(1, 256)]
    public int MaxConcurrentActivities { get; set; } = 16;
}

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// The durable layer. Always: options and the <see cref="DurableClientAccessor"/> (how Core reaches the
    /// <see cref="DurableTaskClient"/> of the current function or the standalone one). With <paramref name="standaloneRuntime"/>
    /// (no Functions host): the <see cref="IOrchestrationService"/> of <c>Durable__Backend</c>, the
    /// <see cref="OrchestrationServiceDurableClient"/> over it, and <see cref="TaskHubDurableWorker"/> running the tasks
    /// registered in the default <c>DurableTaskRegistry</c>.
    /// </summary>
    public static IServiceCollection AddHotelAgentDurable(this IServiceCollection services, IConfiguration configuration, bool standaloneRuntime)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.SectionName)
            .PostConfigure<IConfiguration>((o, config) =>
            {
                // Durable__Backend follows HotelAgent__Storage unless set: shared state on Azure Storage means the task hub is too.
                if (string.IsNullOrWhiteSpace(config[$"{DurableOptions.SectionName}:{nameof(DurableOptions.Backend)}"])
                    && Enum.TryParse<StorageProvider>(config[$"{HotelAgentOptions.SectionName}:{nameof(HotelAgentOptions.Storage)}"], ignoreCase: true, out var storage)
                    && storage == StorageProvider.AzureStorage)
                {
                    o.Backend = DurableBackend.AzureStorage;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SqliteOrchestrationOptions>().BindConfiguration(SqliteOrchestrationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DurableClientAccessor>();
        if (!standaloneRuntime)
        {
            return services;
        }

        services.TryAddSingleton<IOrchestrationService>(sp =>
        {
            var durable = sp.GetRequiredService<IOptions<DurableOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DurableServiceCollectionExtensions).FullName!);
            if (durable.Backend == DurableBackend.AzureStorage)
            {
                return CreateAzureStorageService(durable, configuration, sp.GetRequiredService<ILoggerFactory>(), logger);
            }

            var options = sp.GetRequiredService<IOptions<SqliteOrchestrationOptions>>().Value;
            var dataDirectory = sp.GetService<IOptions<HotelAgentOptions>>()?.Value ?? new HotelAgentOptions();
            var path = Path.IsPathRooted(options.DatabaseFileName)
                ? options.DatabaseFileName
                : Path.Combine(dataDirectory.ResolveDataDirectory(), options.DatabaseFileName);
            Log.BackendStarted(logger, "Sqlite", durable.TaskHub, path);
            return new SqliteOrchestrationService(path, options, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<SqliteOrchestrationService>>());
        });
        services.TryAddSingleton(sp => (IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>());
        services.TryAddSingleton(sp => new OrchestrationServiceDurableClient(sp.GetRequiredService<IOrchestrationServiceClient>(), OrchestrationJson.Converter, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<OrchestrationServiceDurableClient>());
        services.AddDurableTaskWorker(builder =>
        {
            builder.Configure(o => o.DataConverter = OrchestrationJson.Converter);
            builder.UseBuildTarget<TaskHubDurableWorker>();
        });
        return services;
    }

    /// <summary>
    /// Its own method, not inlined: the runtime loads the assemblies of the types a method mentions when it prepares the
    /// method, so with the Azure Storage branch inline the SQLite default loaded DurableTask.AzureStorage (and the Azure
    /// SDK under it) at start for nothing (start-up and memory, issue 19).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IOrchestrationService CreateAzureStorageService(DurableOptions durable, IConfiguration configuration, ILoggerFactory loggers, ILogger logger)
    {
        var settings = AzureStorageSettings(durable, configuration, loggers);
        Log.BackendStarted(logger, "AzureStorage", durable.TaskHub, durable.AzureStorage.ConnectionSetting);
        return new AzureStorageOrchestrationService(settings);
    }

    /// <summary>DurableTask.AzureStorage settings for the standalone runtime (the Functions host reads host.json instead).</summary>
    public static AzureStorageOrchestrationServiceSettings AzureStorageSettings(DurableOptions durable, IConfiguration configuration, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(configuration);
        var azure = durable.AzureStorage;
        var connection = configuration[azure.ConnectionSetting] ?? configuration.GetConnectionString(azure.ConnectionSetting);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new OptionsValidationException(DurableOptions.SectionName, typeof(DurableOptions),
                [$"Durable__Backend=AzureStorage needs the storage connection string in {azure.ConnectionSetting} (UseDevelopmentStorage=true for Azurite)."]);
        }

        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = durable.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            PartitionCount = azure.PartitionCount,
            MaxQueuePollingInterval = azure.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = azure.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = azure.WorkItemQueueVisibilityTimeout,
            LeaseInterval = azure.LeaseInterval,
            LeaseRenewInterval = azure.LeaseRenewInterval,
            LeaseAcquireInterval = azure.LeaseAcquireInterval,
            ExtendedSessionsEnabled = azure.ExtendedSessions,
            MaxConcurrentTaskOrchestrationWorkItems = azure.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = azure.MaxConcurrentActivities,
            // A duplicate start must throw (then the caller raises its event) instead of being ignored silently.
            ThrowExceptionOnInvalidDedupeStatus = true,
            EventBehaviourForContinueAsNew = BehaviorOnContinueAsNew.Carryover,
            LoggerFactory = loggers,
        };
    }
}
