using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Channels.WhatsApp;

/// <summary>The WhatsApp customer-service window as every instance must see it, on SQLite and on Azure Tables.</summary>
public abstract class CustomerServiceWindowContractTests(StoreBackend backend) : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_message_received_by_one_instance_opens_the_window_for_another_until_24_hours_pass()
    {
        var a = backend.Window(_time);
        var b = backend.Window(_time);
        Assert.Null(await b.GetLastInboundAsync("5491155550001"));
        Assert.True(await b.IsOpenAsync("5491155550001")); // unknown: left to Meta

        var received = _time.GetUtcNow().AddMinutes(-5);
        await a.RecordInboundAsync("5491155550001", received);
        Assert.Equal(received, await b.GetLastInboundAsync("5491155550001"));

        // An older redelivery never moves the window back; a timestamp from the future is capped at now.
        await b.RecordInboundAsync("5491155550001", received.AddHours(-3));
        Assert.Equal(received, await a.GetLastInboundAsync("5491155550001"));
        await b.RecordInboundAsync("5491155550001", _time.GetUtcNow().AddHours(2));
        Assert.Equal(_time.GetUtcNow(), await a.GetLastInboundAsync("5491155550001"));

        _time.Advance(TimeSpan.FromHours(23));
        Assert.True(await b.IsOpenAsync("5491155550001"));
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.False(await b.IsOpenAsync("5491155550001"));
        Assert.True(await a.IsOpenAsync("5491155550002"));
    }

    [Fact]
    public async Task Concurrent_messages_of_one_guest_keep_the_newest_time()
    {
        var stores = new[] { backend.Window(_time), backend.Window(_time) };
        var start = _time.GetUtcNow().AddHours(-1);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => stores[i % 2].RecordInboundAsync("5491155550003", start.AddMinutes(i)))));
        Assert.Equal(start.AddMinutes(9), await stores[0].GetLastInboundAsync("5491155550003"));
    }
}

public sealed class SqliteCustomerServiceWindowContractTests() : CustomerServiceWindowContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesCustomerServiceWindowContractTests(AzuriteFixture azurite) : CustomerServiceWindowContractTests(StoreBackend.Azure(azurite));
