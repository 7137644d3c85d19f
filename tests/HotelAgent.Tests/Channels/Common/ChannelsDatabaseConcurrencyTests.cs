using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>
/// Every channel store writes channels.db at once, each through its own <see cref="ChannelsDatabase"/> (as separate
/// components would): all writes land and none fails with SQLITE_BUSY.
/// </summary>
public sealed class ChannelsDatabaseConcurrencyTests : IDisposable
{
    private const int PerStore = 64;
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File(ChannelsDatabase.FileName);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Concurrent_writes_of_every_channel_store_on_one_file_all_land()
    {
        using var processedDb = new ChannelsDatabase(DbPath);
        using var sentDb = new ChannelsDatabase(DbPath);
        using var deliveryDb = new ChannelsDatabase(DbPath);
        using var windowDb = new ChannelsDatabase(DbPath);
        using var emailDb = new ChannelsDatabase(DbPath);
        var processed = new SqliteProcessedMessageStore(processedDb, TimeProvider.System);
        var sent = new SqliteSentMessageStore(sentDb, TimeProvider.System);
        var delivery = new SqliteDeliveryStatusStore(deliveryDb, TimeProvider.System);
        var window = new SqliteCustomerServiceWindow(windowDb, Options.Create(new WhatsAppOptions()), TimeProvider.System);
        var email = new SqliteSentMessageStore(emailDb, TimeProvider.System);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var start = new ManualResetEventSlim();

        var work = new List<Task<bool>>();
        for (var i = 0; i < PerStore; i++)
        {
            var n = i;
            work.Add(Run(() => processed.TryRecordAsync(Channel.WhatsApp, "wamid." + n)));
            work.Add(Run(async () =>
            {
                using (await sent.LockAsync(Channel.WhatsApp, "key-" + n))
                {
                    await sent.RecordSentAsync(Channel.WhatsApp, "key-" + n, "wamid.out." + n);
                }

                return true;
            }));
            work.Add(Run(async () =>
            {
                await delivery.RecordAsync(Channel.WhatsApp, "wamid.out." + n, "delivered", at, null);
                return true;
            }));
            work.Add(Run(async () =>
            {
                await window.RecordInboundAsync("+3460000" + n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), at);
                return true;
            }));
            work.Add(Run(async () =>
            {
                await email.RecordAttemptAsync(Channel.Email, "mail-" + n);
                await email.RecordSentAsync(Channel.Email, "mail-" + n, "<mail-" + n + "@hotel.test>");
                return true;
            }));
        }

        start.Set();
        var results = await Task.WhenAll(work);
        Assert.All(results, Assert.True);

        // Read back through fresh instances (a restart): nothing was lost.
        using var reopened = new ChannelsDatabase(DbPath);
        var rereadSent = new SqliteSentMessageStore(reopened, TimeProvider.System);
        var rereadDelivery = new SqliteDeliveryStatusStore(reopened, TimeProvider.System);
        var rereadWindow = new SqliteCustomerServiceWindow(reopened, Options.Create(new WhatsAppOptions()), TimeProvider.System);
        var rereadProcessed = new SqliteProcessedMessageStore(reopened, TimeProvider.System);
        for (var i = 0; i < PerStore; i++)
        {
            Assert.True(await rereadProcessed.ContainsAsync(Channel.WhatsApp, "wamid." + i));
            Assert.True(await rereadSent.WasSentAsync(Channel.WhatsApp, "key-" + i));
            Assert.Single(await rereadDelivery.GetAsync(Channel.WhatsApp, "wamid.out." + i));
            Assert.NotNull(await rereadWindow.GetLastInboundAsync("+3460000" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(await rereadSent.WasSentAsync(Channel.Email, "mail-" + i));
        }

        Assert.False(await rereadSent.WasSentAsync(Channel.Email, "mail-never"));

        Task<bool> Run(Func<Task<bool>> action) => Task.Run(async () =>
        {
            start.Wait();
            return await action();
        });
    }
}
