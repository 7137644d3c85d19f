using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Pms;

/// <summary>The QloApps index written from many bookings at once (two instances on one file): every write lands.</summary>
public sealed class QloAppsBookingIndexConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sixty_four_concurrent_bookings_with_pending_marks_and_operations_all_land()
    {
        using var first = new QloAppsBookingIndex(_dir.File("qlo.db"));
        using var second = new QloAppsBookingIndex(_dir.File("qlo.db"));
        var at = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        using var start = new ManualResetEventSlim();
        var writes = Enumerable.Range(1, 64).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var index = i % 2 == 0 ? first : second;
            await index.MarkPendingAsync("key-" + i, at, CancellationToken.None);
            await index.AddAsync(new QloAppsIndexedBooking(i, "key-" + i, "Guest " + i, "+34600000" + i, null, Channel.WhatsApp, ReservationStatus.Confirmed, at.AddSeconds(i), null), CancellationToken.None);
            await index.ClearPendingAsync("key-" + i, CancellationToken.None);
            await index.RecordOperationAsync("op-" + i, i, "cancel", CancellationToken.None);
            await index.MarkCancelledAsync(i, at, CancellationToken.None);
        })).ToList();
        start.Set();
        await Task.WhenAll(writes);

        var all = await first.ListAsync(5000, CancellationToken.None);
        Assert.Equal(64, all.Count);
        Assert.All(all, b => Assert.Equal(ReservationStatus.Cancelled, b.Status));
        for (var i = 1; i <= 64; i++)
        {
            Assert.False(await second.IsPendingAsync("key-" + i, CancellationToken.None));
            Assert.True(await second.OperationDoneAsync("op-" + i, CancellationToken.None));
        }
    }
}
