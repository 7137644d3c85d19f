using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// WhatsApp's 24-hour customer-service window per guest: free-form messages are only allowed within 24 hours of
/// the guest's last message; outside it only approved templates may be sent.
/// </summary>
public interface ICustomerServiceWindow
{
    /// <summary>Call for every inbound WhatsApp message (the newest timestamp wins).</summary>
    Task RecordInboundAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>When the guest last wrote, or null when never.</summary>
    Task<DateTimeOffset?> GetLastInboundAsync(string guestId, CancellationToken cancellationToken = default);

    /// <summary>True when a free-form message may be sent now.</summary>
    Task<bool> IsOpenAsync(string guestId, CancellationToken cancellationToken = default);
}

/// <summary>The window stored in <c>channels.db</c>, so restarts keep it.</summary>
public sealed class SqliteCustomerServiceWindow(
    ChannelsDatabase database,
    IOptions<WhatsAppOptions> options,
    TimeProvider timeProvider) : ICustomerServiceWindow
{
    private static readonly string ChannelName = Channel.WhatsApp.ToString();

    public async Task RecordInboundAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);

        // A timestamp from the future (clock skew) must not extend the window beyond what Meta allows.
        var now = timeProvider.GetUtcNow();
        var at = receivedAt > now ? now : receivedAt;
        await database.WriteAsync(
            writer => writer.Execute(
                """
                INSERT INTO customer_service_window (channel, guest_id, last_inbound_utc) VALUES ($channel, $guest, $at)
                ON CONFLICT (channel, guest_id) DO UPDATE SET last_inbound_utc = MAX(last_inbound_utc, excluded.last_inbound_utc);
                """,
                ("$channel", ChannelName),
                ("$guest", guestId),
                ("$at", at.ToUnixTimeMilliseconds())),
            cancellationToken);
    }

    public async Task<DateTimeOffset?> GetLastInboundAsync(string guestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        return await database.ReadScalarAsync(
            "SELECT last_inbound_utc FROM customer_service_window WHERE channel = $channel AND guest_id = $guest;",
            cancellationToken,
            ("$channel", ChannelName),
            ("$guest", guestId)) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task<bool> IsOpenAsync(string guestId, CancellationToken cancellationToken = default)
    {
        // No record here (e.g. another instance took the webhook under the Functions host, whose SQLite is per
        // instance): let Meta decide; a closed window answers 131047 and the client falls back to the template.
        var last = await GetLastInboundAsync(guestId, cancellationToken);
        return last is not { } at || timeProvider.GetUtcNow() - at < options.Value.CustomerServiceWindow;
    }
}
