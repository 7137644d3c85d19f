using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Functions.Staff;

/// <summary>
/// What staff see of a real conversation through the standalone host: a web-chat guest books, asks for a person, is
/// answered by staff and cancels; the transcript, the list preview and the statistics follow.
/// </summary>
public sealed partial class StaffConversationEndToEndTests : IAsyncLifetime
{
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient StaffClient()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        return client;
    }

    [Fact]
    public async Task Staff_read_the_guests_own_words_at_a_handoff_and_their_reply_joins_the_transcript()
    {
        using var staff = StaffClient();
        var guest = new WebChatVisitor(_host, "web-staff-view-0001");

        await guest.SayAsync("hola! mi mail es martina.gomez@gmail.com");
        await guest.SayAsync("quiero hablar con una persona de recepción");

        var list = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/conversations") ?? [];
        var row = Assert.Single(list, c => c.GetProperty("handoff").GetBoolean());
        var id = row.GetProperty("id").GetString()!;
        var last = row.GetProperty("lastMessage");
        Assert.Equal("bot", last.GetProperty("from").GetString());
        Assert.False(string.IsNullOrWhiteSpace(last.GetProperty("preview").GetString()));
        Assert.True(last.GetProperty("preview").GetString()!.Length <= 80);

        using (var replied = await staff.PostAsJsonAsync($"/api/staff/conversations/{id}/reply", new { text = "Hola Martina, soy Carla de recepción" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, replied.StatusCode);
        }

        // The positive signal: the orchestration delivered the staff answer to the guest's chat.
        await guest.WaitToHearAsync("Hola Martina, soy Carla de recepción");
        var detail = await staff.GetFromJsonAsync<JsonElement>($"/api/staff/conversations/{id}");
        var messages = detail.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal("hola! mi mail es martina.gomez@gmail.com", messages[0].GetProperty("text").GetString());
        Assert.Equal("guest", messages[0].GetProperty("from").GetString());
        Assert.Contains(messages, m => m.GetProperty("from").GetString() == "bot");
        Assert.Contains(messages, m => m.GetProperty("text").GetString() == "quiero hablar con una persona de recepción");
        Assert.Equal(("staff", "Hola Martina, soy Carla de recepción"), (messages[^1].GetProperty("from").GetString(), messages[^1].GetProperty("text").GetString()));
        Assert.True(messages.Select(m => m.GetProperty("at").GetDateTimeOffset()).SequenceEqual(messages.Select(m => m.GetProperty("at").GetDateTimeOffset()).Order()));
        Assert.True(detail.GetProperty("handoff").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(detail.GetProperty("handoffReason").GetString()));
        Assert.Equal("HandedOff", detail.GetProperty("stage").GetString());
        Assert.DoesNotContain("web-staff-view-0001", detail.GetProperty("guest").GetString()!, StringComparison.Ordinal);
        Assert.Equal(7, detail.GetProperty("retentionDays").GetDouble());

        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/staff/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/staff/conversations/conv-webchat-0000000000")).StatusCode);
    }

    [Fact]
    public async Task A_booking_cancelled_later_leaves_the_revenue_and_shows_apart_in_the_stats()
    {
        using var staff = StaffClient();
        var guest = new WebChatVisitor(_host, "web-revenue-0001");
        var stay = ConversationEndToEndTests.FutureStay();

        await guest.SayAsync($"hola, tenés lugar para 2 personas {stay.Spanish}?");
        await guest.SayAsync("Habitación Doble", replyId: "doble");
        await guest.SayAsync("Martina Gómez");
        var summary = string.Join('\n', await guest.SayAsync("Prefiero no", replyId: "skip"));
        var booked = string.Join('\n', await guest.SayAsync("Sí, reservar", replyId: "yes"));
        var reference = Reference().Match(booked);
        Assert.True(reference.Success, string.Join("\n---\n", guest.Heard));

        var afterBooking = await staff.GetFromJsonAsync<JsonElement>("/api/staff/stats");
        Assert.Equal(190000m, afterBooking.GetProperty("totals").GetProperty("revenue").GetDecimal());
        Assert.Equal(0, afterBooking.GetProperty("totals").GetProperty("cancelledBookings").GetInt32());

        await guest.SayAsync("quiero cancelar mi reserva");
        var cancelled = string.Join('\n', await guest.SayAsync("Sí", replyId: "yes"));
        var reservations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        Assert.Equal("cancelled", Assert.Single(reservations).GetProperty("status").GetString());

        var stats = await staff.GetFromJsonAsync<JsonElement>("/api/staff/stats");
        var totals = stats.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("bookings").GetInt32());
        Assert.Equal(0m, totals.GetProperty("revenue").GetDecimal());
        Assert.Equal(1, totals.GetProperty("cancelledBookings").GetInt32());
        Assert.Equal(190000m, totals.GetProperty("cancelledRevenue").GetDecimal());
        Assert.NotEmpty(summary + cancelled);
    }

    [GeneratedRegex(@"\b[A-Z]{2,4}-[A-Z0-9]{3,}\b")]
    private static partial Regex Reference();
}
