using HotelAgent.Core.Analytics;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Core.Security;
using HotelAgent.Core.Storage;
using HotelAgent.Core.Transcripts;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Fakes.Storage;

/// <summary>
/// Where a contract test's stores live: SQLite files in a temporary folder, or Azure Tables on the run's Azurite with a
/// table prefix of their own. Each call makes a new store object on the same state — a second instance of the app.
/// </summary>
public sealed class StoreBackend : IDisposable
{
    private readonly TempDirectory? _dir;
    private readonly AzureStorageAccount? _account;
    private readonly List<IDisposable> _owned = [];

    private StoreBackend(TempDirectory? dir, AzureStorageAccount? account)
    {
        _dir = dir;
        _account = account;
    }

    public static StoreBackend Sqlite() => new(new TempDirectory(), null);

    public static StoreBackend Azure(AzuriteFixture azurite) =>
        new(null, new AzureStorageAccount(azurite.ConnectionString, "T" + Guid.NewGuid().ToString("N")[..12]));

    public StorageProvider Provider => _account is null ? StorageProvider.Sqlite : StorageProvider.AzureStorage;

    /// <summary>The Azure account of this backend (null on SQLite).</summary>
    public AzureStorageAccount? Account => _account;

    public IProcessedMessageStore Processed(TimeProvider time) =>
        _account is null ? new SqliteProcessedMessageStore(Own(new ChannelsDatabase(_dir!.File("channels.db"))), time) : new TableProcessedMessageStore(_account, time);

    public ISentMessageStore Sent(TimeProvider time) =>
        _account is null ? new SqliteSentMessageStore(Own(new ChannelsDatabase(_dir!.File("channels.db"))), time) : new TableSentMessageStore(_account, time);

    public IDeliveryStatusStore Statuses(TimeProvider time) =>
        _account is null ? new SqliteDeliveryStatusStore(Own(new ChannelsDatabase(_dir!.File("channels.db"))), time) : new TableDeliveryStatusStore(_account, time);

    public ICustomerServiceWindow Window(TimeProvider time)
    {
        var options = Options.Create(new WhatsAppOptions());
        return _account is null
            ? new SqliteCustomerServiceWindow(Own(new ChannelsDatabase(_dir!.File("channels.db"))), options, time)
            : new TableCustomerServiceWindow(_account, options, time);
    }

    public IInteractionLog Interactions(TimeProvider time, AnalyticsOptions? options = null)
    {
        var o = Options.Create(options ?? new AnalyticsOptions { TimeZone = "America/Argentina/Buenos_Aires" });
        return _account is null
            ? Own(new SqliteInteractionLog(Options.Create(new HotelAgentOptions { DataDirectory = _dir!.Path }), o, time, NullLogger<SqliteInteractionLog>.Instance))
            : new TableInteractionLog(_account, o, time, NullLogger<TableInteractionLog>.Instance);
    }

    public ITranscriptStore Transcripts(TimeProvider time, TranscriptOptions options) =>
        _account is null
            ? Own(new SqliteTranscriptStore(Options.Create(new HotelAgentOptions { DataDirectory = _dir!.Path }), Options.Create(options), time, NullLogger<SqliteTranscriptStore>.Instance))
            : new TableTranscriptStore(_account, Options.Create(options), time, NullLogger<TableTranscriptStore>.Instance);

    public IVerificationStore Verification() =>
        _account is null ? Own(new SqliteVerificationStore(_dir!.File("security.db"))) : new TableVerificationStore(_account);

    public IPmsClient Pms(HotelProfile profile, TimeProvider time) =>
        _account is null ? Own(new EmbeddedPmsClient(_dir!.File("pms.db"), profile, time)) : new TableEmbeddedPmsClient(_account, profile, time);

    /// <summary>The app settings that put a host's shared state on this backend.</summary>
    public Dictionary<string, string?> HostSettings(AzuriteFixture? azurite) => _account is null
        ? new() { ["HotelAgent:Storage"] = "Sqlite", ["HotelAgent:DataDirectory"] = _dir!.Path }
        : new() { ["HotelAgent:Storage"] = "AzureStorage", ["HotelAgent:TablePrefix"] = _account.TablePrefix, ["AzureWebJobsStorage"] = azurite!.ConnectionString };

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _dir?.Dispose();
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
