using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.WhatsApp;

public sealed class CustomerServiceWindowTests : IDisposable
{
    private const string Guest = "+5491155551234";
    private readonly string _db = Path.Combine(Path.GetTempPath(), "hotelagent-csw-" + Guid.NewGuid().ToString("N"), "channels.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private SqliteCustomerServiceWindow Create() =>
        new(new ChannelsDatabase(_db), Options.Create(new WhatsAppOptions()), _time);

    [Fact]
    public async Task Unknown_guest_is_left_to_the_api_to_decide()
    {
        // Another instance may have recorded the inbound message: Meta answers 131047 if the window is really closed.
        Assert.True(await Create().IsOpenAsync(Guest));
        Assert.Null(await Create().GetLastInboundAsync(Guest));
    }

    [Fact]
    public async Task Window_is_open_for_24_hours_after_the_last_inbound_message()
    {
        var window = Create();
        await window.RecordInboundAsync(Guest, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromHours(23.9));
        Assert.True(await window.IsOpenAsync(Guest));

        _time.Advance(TimeSpan.FromHours(0.2));
        Assert.False(await window.IsOpenAsync(Guest));
    }

    [Fact]
    public async Task Newest_message_wins_even_when_deliveries_arrive_out_of_order()
    {
        var window = Create();
        var now = _time.GetUtcNow();
        await window.RecordInboundAsync(Guest, now);
        await window.RecordInboundAsync(Guest, now.AddHours(-30)); // late redelivery of an old message

        Assert.Equal(now, await window.GetLastInboundAsync(Guest));
        Assert.True(await window.IsOpenAsync(Guest));
    }

    [Fact]
    public async Task Future_timestamps_are_clamped_to_now()
    {
        var window = Create();
        await window.RecordInboundAsync(Guest, _time.GetUtcNow().AddDays(3));
        Assert.Equal(_time.GetUtcNow(), await window.GetLastInboundAsync(Guest));
    }

    [Fact]
    public async Task Window_survives_a_restart()
    {
        await Create().RecordInboundAsync(Guest, _time.GetUtcNow());
        SqliteConnection.ClearAllPools();
        Assert.True(await Create().IsOpenAsync(Guest));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        var dir = Path.GetDirectoryName(_db)!;
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
