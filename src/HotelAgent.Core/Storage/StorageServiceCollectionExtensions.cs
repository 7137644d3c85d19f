using HotelAgent.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> as the implementation <c>HotelAgent__Storage</c> picks: <typeparamref name="TSqlite"/>
    /// (SQLite files) or <typeparamref name="TTable"/> (Azure Tables of <c>AzureWebJobsStorage</c>). The choice is read when the
    /// service is first resolved, so configuration added after registration (test hosts) is honoured. This is the pattern every
    /// store that must be shared across instances follows (docs/storage.md, "Adding a store").
    /// </summary>
    public static IServiceCollection TryAddStore<TService, TSqlite, TTable>(this IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TTable : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AzureStorageAccount>();
        services.TryAddSingleton<TSqlite>();
        services.TryAddSingleton<TTable>();
        services.TryAddSingleton<TService>(sp => UsesAzureStorage(sp) ? sp.GetRequiredService<TTable>() : sp.GetRequiredService<TSqlite>());
        return services;
    }

    /// <summary>True when <c>HotelAgent__Storage=AzureStorage</c>.</summary>
    public static bool UsesAzureStorage(IServiceProvider services) =>
        services.GetRequiredService<IOptions<HotelAgentOptions>>().Value.Storage == StorageProvider.AzureStorage;
}
