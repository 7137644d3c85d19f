using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Inbound;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Two standalone hosts on one Azurite, as two instances of the function app on one storage account
/// (<c>HotelAgent__Storage=AzureStorage</c>: shared tables, one task hub): nothing that must be shared is per instance.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ScaleOutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private StandaloneHost _a = null!;
    private StandaloneHost _b = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(_graph);
        foreach (var (key, value) in azurite.DurableSettings(AzuriteFixture.NewTaskHub()))
        {
            settings[key] = value;
        }

        settings["HotelAgent:Storage"] = "AzureStorage";
        settings["HotelAgent:TablePrefix"] = "S" + Guid.NewGuid().ToString("N")[..10];
        settings.Remove("Durable:Backend"); // follows HotelAgent:Storage
        var hosts = await Task.WhenAll(StandaloneHost.StartAsync(settings), StandaloneHost.StartAsync(settings));
        (_a, _b) = (hosts[0], hosts[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task A_message_delivered_to_both_instances_at_once_gets_one_reply_and_a_status_on_the_other_instance_confirms_the_send()
    {
        var guest = new GuestSimulator(_a, _graph, "5491155550301");
        var onB = new GuestSimulator(_b, _graph, "5491155550301");
        var wamid = WhatsAppWebhookSamples.NewWamid();
        var body = WhatsAppWebhookSamples.Text("hola! hay pileta?", guest.WaId, wamid);
        var statuses = await Task.WhenAll(guest.PostAsync(body), onB.PostAsync(body));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // Both deliveries were handled: one as the message, one as a duplicate, as either host's statistics show.
        var totals = (await StatsAsync(_b)).GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("duplicates").GetInt32());
        var replies = await guest.CollectAsync(0, expectReply: true);
        Assert.Single(replies);
        Assert.Contains("pileta", replies[0], StringComparison.OrdinalIgnoreCase);

        // A send attempt recorded by instance A (then A died before it could record the answer) is confirmed by Meta's
        // status webhook arriving at instance B: A's retry sees it sent and does not message the guest again.
        var key = "conv-scaleout:7";
        var sentOnA = _a.Services.GetRequiredService<ISentMessageStore>();
        await sentOnA.RecordAttemptAsync(Channel.WhatsApp, key);
        Assert.False(await sentOnA.WasSentAsync(Channel.WhatsApp, key));
        Assert.Equal(HttpStatusCode.OK, await onB.PostAsync(WhatsAppWebhookSamples.Status("wamid.OUT-SCALE-1", "delivered", guest.WaId, key)));
        Assert.True(await sentOnA.WasSentAsync(Channel.WhatsApp, key));
        Assert.Contains(await _a.Services.GetRequiredService<IDeliveryStatusStore>().GetAsync(Channel.WhatsApp, "wamid.OUT-SCALE-1"), s => s.Status == "delivered");
    }

    [Fact]
    public async Task Two_guests_racing_for_the_last_suite_through_two_instances_book_it_once_and_both_instances_report_the_same_statistics()
    {
        var stay = ConversationEndToEndTests.FutureStay();
        var guests = new[] { new GuestSimulator(_a, _graph, "5491155550311", "Ana Gómez"), new GuestSimulator(_b, _graph, "5491155550312", "Bruno Díaz") };
        await Task.WhenAll(guests.Select(async g =>
        {
            await g.SayAsync("Hola!");
            await g.SayAsync($"tenés lugar para 2 personas {stay.Spanish}?");
            await g.SayAsync("la suite");
            await g.SayAsync("sí, a mi nombre");
            var summary = string.Join('\n', await g.SayAsync("prefiero no"));
            Assert.Contains("¿Confirmo la reserva?", summary, StringComparison.Ordinal);
        }));

        // The suite has one room: both say yes at the same moment, each through its own instance.
        var answers = await Task.WhenAll(guests.Select(g => g.SayAsync("sí")));
        var booked = answers.Count(a => ReferencePattern().IsMatch(string.Join('\n', a)));
        Assert.Equal(1, booked);

        foreach (var host in new[] { _a, _b })
        {
            using var staff = Staff(host);
            var reservations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
            var suite = Assert.Single(reservations, r => r.GetProperty("roomType").GetString() == "suite");
            Assert.Contains(suite.GetProperty("contact").GetString(), guests.Select(g => g.Phone));
            var calendar = await staff.GetFromJsonAsync<JsonElement[]>(
                $"/api/staff/availability?from={stay.CheckIn:yyyy-MM-dd}&to={stay.CheckOut:yyyy-MM-dd}") ?? [];
            Assert.Equal(0, calendar.Single(c => c.GetProperty("roomType").GetString() == "suite").GetProperty("available").GetInt32());
        }

        var fromA = await StatsAsync(_a);
        var fromB = await StatsAsync(_b);
        Assert.Equal(fromA.GetRawText(), fromB.GetRawText());
        Assert.Equal(1, fromA.GetProperty("totals").GetProperty("bookings").GetInt32());
        Assert.Equal(2, fromA.GetProperty("totals").GetProperty("conversations").GetInt32());
    }

    private static HttpClient Staff(StandaloneHost host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        return client;
    }

    private static async Task<JsonElement> StatsAsync(StandaloneHost host)
    {
        using var staff = Staff(host);
        var today = DateTime.UtcNow;
        return await staff.GetFromJsonAsync<JsonElement>($"/api/staff/stats?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();
}
