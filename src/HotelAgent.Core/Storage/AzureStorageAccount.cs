using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Storage;

/// <summary>
/// The <c>AzureWebJobsStorage</c> account as HotelAgent's shared state uses it (<c>HotelAgent__Storage=AzureStorage</c>):
/// a connection string (Azurite locally: <c>UseDevelopmentStorage=true</c>), or identity-based
/// <c>AzureWebJobsStorage__accountName</c> (or <c>__tableServiceUri</c> / <c>__queueServiceUri</c>) with the app's managed
/// identity (<c>AzureWebJobsStorage__clientId</c> picks a user-assigned one), as the Functions host reads the same setting.
/// Tables are named <see cref="HotelAgentOptions.TablePrefix"/> + a fixed name and created once per process on first use.
/// </summary>
public sealed class AzureStorageAccount
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);
    private readonly Lazy<TableServiceClient> _tableService;
    private readonly Lazy<QueueServiceClient> _queueService;

    public AzureStorageAccount(IConfiguration configuration, IOptions<HotelAgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        TablePrefix = options.Value.TablePrefix;
        _tableService = new Lazy<TableServiceClient>(() => CreateTableService(configuration));
        _queueService = new Lazy<QueueServiceClient>(() => CreateQueueService(configuration));
    }

    /// <summary>For tests: an account from a connection string with its own table prefix.</summary>
    public AzureStorageAccount(string connectionString, string tablePrefix)
        : this(new ConfigurationBuilder().AddInMemoryCollection([new(ConnectionSetting, connectionString)]).Build(),
            Options.Create(new HotelAgentOptions { TablePrefix = tablePrefix }))
    {
    }

    public string TablePrefix { get; }

    public TableServiceClient TableService => _tableService.Value;

    /// <summary>Queues with base64 message text, as the Functions queue trigger reads and writes them.</summary>
    public QueueServiceClient QueueService => _queueService.Value;

    /// <summary>The table <see cref="TablePrefix"/> + <paramref name="name"/>, created when missing (once per process).</summary>
    public Task<TableClient> GetTableAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateTableAsync(TablePrefix + n)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed creation (storage briefly unreachable) is retried on the next use.
            _tables.TryUpdate(name, new Lazy<Task<TableClient>>(() => CreateTableAsync(TablePrefix + name)), lazy);
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>True when the table service answers (readiness).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetTableAsync(ReachabilityTable, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException or InvalidOperationException or HttpRequestException)
        {
            return false;
        }
    }

    private const string ReachabilityTable = "Processed";

    private async Task<TableClient> CreateTableAsync(string tableName)
    {
        var table = TableService.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static TableServiceClient CreateTableService(IConfiguration configuration)
    {
        if (configuration[ConnectionSetting] is { Length: > 0 } connection)
        {
            return new TableServiceClient(connection);
        }

        var section = configuration.GetSection(ConnectionSetting);
        var uri = section["tableServiceUri"] is { Length: > 0 } explicitUri
            ? new Uri(explicitUri)
            : new Uri($"https://{AccountName(section)}.table.core.windows.net");
        return new TableServiceClient(uri, Credential(section));
    }

    private static QueueServiceClient CreateQueueService(IConfiguration configuration)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (configuration[ConnectionSetting] is { Length: > 0 } connection)
        {
            return new QueueServiceClient(connection, options);
        }

        var section = configuration.GetSection(ConnectionSetting);
        var uri = section["queueServiceUri"] is { Length: > 0 } explicitUri
            ? new Uri(explicitUri)
            : new Uri($"https://{AccountName(section)}.queue.core.windows.net");
        return new QueueServiceClient(uri, Credential(section), options);
    }

    private static string AccountName(IConfigurationSection section) =>
        section["accountName"] is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException(
                "HotelAgent__Storage=AzureStorage needs AzureWebJobsStorage (a connection string; UseDevelopmentStorage=true for Azurite) or AzureWebJobsStorage__accountName (managed identity).");

    private static TokenCredential Credential(IConfigurationSection section) => AzureCredentials.Create(section["clientId"]);
}

/// <summary>One way to build the app's Azure credential (storage, Redis with Entra ID, Azure OpenAI).</summary>
public static class AzureCredentials
{
    /// <summary>
    /// <see cref="DefaultAzureCredential"/>: the managed identity in Azure (a user-assigned one when
    /// <paramref name="managedIdentityClientId"/> is set), a developer's Azure CLI / environment sign-in locally.
    /// </summary>
    public static TokenCredential Create(string? managedIdentityClientId = null) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId,
        });
}
