using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// Scripted guest conversations through the real webhook entry of the standalone host (real NLU, real dialog in
/// the durable conversation orchestration, real embedded PMS on SQLite); only the WhatsApp Graph API is a fake.
/// </summary>
public sealed partial class ConversationEndToEndTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _host = await StandaloneHost.StartAsync(Settings(_graph));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    internal static Dictionary<string, string?> Settings(FakeGraphApi graph) =>
        graph.WhatsAppSettings(StandaloneHost.AccessToken, StandaloneHost.AppSecret, StandaloneHost.VerifyToken, StandaloneHost.PhoneNumberId);

    /// <summary>A future stay inside one month, phrased as a guest would ("del 10 al 12 de marzo").</summary>
    internal static (DateOnly CheckIn, DateOnly CheckOut, string Spanish, string English) FutureStay()
    {
        var month = DateTime.UtcNow.AddMonths(2);
        var checkIn = new DateOnly(month.Year, month.Month, 10);
        var es = CultureInfo.GetCultureInfo("es-AR").DateTimeFormat.GetMonthName(checkIn.Month);
        var en = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(checkIn.Month);
        return (checkIn, checkIn.AddDays(2), $"del 10 al 12 de {es}", $"from {en} 10 to 12");
    }

    private HttpClient StaffClient()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        return client;
    }

    [Fact]
    public async Task Spanish_guest_books_from_hola_to_a_reference_and_a_redelivered_yes_books_nothing_more()
    {
        var guest = new GuestSimulator(_host, _graph, "5491155550101");
        var stay = FutureStay();

        var hello = await guest.SayAsync("Hola!");
        Assert.Contains("Hotel Palermo Soho", string.Join('\n', hello), StringComparison.Ordinal);

        var quote = string.Join('\n', await guest.SayAsync($"tenés lugar para 2 personas {stay.Spanish}?"));
        Assert.Contains("Habitación Doble", quote, StringComparison.Ordinal);
        Assert.Contains("ARS 95.000", quote, StringComparison.Ordinal);
        Assert.Contains("ARS 190.000", quote, StringComparison.Ordinal);

        var t1 = await guest.SayAsync("la doble");
        Assert.Contains("Lucía Fernández", string.Join('\n', t1), StringComparison.Ordinal);
        var t2 = await guest.SayAsync("sí, a mi nombre");
        var summary = string.Join('\n', await guest.SayAsync("prefiero no"));
        Assert.True(summary.Contains("¿Confirmo la reserva?", StringComparison.Ordinal), string.Join("\n---\n", t1.Concat(t2)) + "\n---\n" + summary);
        Assert.Contains("¿Confirmo la reserva?", summary, StringComparison.Ordinal);

        using var staff = StaffClient();
        Assert.Empty(await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? []);

        const string yesId = "wamid.YES-FOR-BOOKING-1";
        var confirmation = string.Join('\n', await guest.SayAsync("sí", yesId));
        var reference = ReferencePattern().Match(confirmation);
        Assert.True(reference.Success, "No booking reference in: " + confirmation);

        await guest.SayAsync("sí", yesId, expectReply: false);
        var reservations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        var booking = Assert.Single(reservations);
        Assert.Equal(reference.Value, booking.GetProperty("reference").GetString());
        Assert.Equal(guest.Phone, booking.GetProperty("contact").GetString());
        Assert.Equal("doble", booking.GetProperty("roomType").GetString());
        Assert.Equal(stay.CheckIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), booking.GetProperty("checkIn").GetString());
        Assert.Equal(2, booking.GetProperty("guests").GetInt32());
        Assert.Equal("whatsapp", booking.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task English_guest_gets_real_prices_in_english()
    {
        var guest = new GuestSimulator(_host, _graph, "14155550102", "John Smith");
        var stay = FutureStay();

        var quote = string.Join('\n', await guest.SayAsync($"Hi! Do you have a room for 2 people {stay.English}?"));

        Assert.Contains("per night", quote, StringComparison.Ordinal);
        Assert.Contains("total ARS 190,000", quote, StringComparison.Ordinal); // the currency always shown, English separators
        Assert.DoesNotContain("tengo", quote, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Handoff_silences_the_bot_staff_reply_reaches_the_guest_and_release_hands_back()
    {
        var guest = new GuestSimulator(_host, _graph, "5491155550103");
        using var staff = StaffClient();

        var handoff = string.Join('\n', await guest.SayAsync("quiero hablar con una persona de recepción"));
        Assert.Contains("recepción", handoff, StringComparison.OrdinalIgnoreCase);

        var conversations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/conversations") ?? [];
        var conversation = Assert.Single(conversations, c => c.GetProperty("handoff").GetBoolean());
        var id = conversation.GetProperty("id").GetString()!;
        Assert.DoesNotContain("5491155550103", conversation.GetRawText(), StringComparison.Ordinal);

        Assert.Empty(await guest.SayAsync("hola? sigue ahí alguien?", expectReply: false));

        var before = guest.Received().Count;
        var replied = await staff.PostAsJsonAsync($"/api/staff/conversations/{id}/reply", new { text = "Hola, soy Carla de recepción. ¿En qué te ayudo?" });
        Assert.Equal(HttpStatusCode.Accepted, replied.StatusCode);
        Assert.Contains("Carla", string.Join('\n', await guest.CollectAsync(before, expectReply: true)), StringComparison.Ordinal);

        var released = await staff.PostAsync($"/api/staff/conversations/{id}/release", null);
        Assert.Equal(HttpStatusCode.Accepted, released.StatusCode);
        await Task.Delay(300);
        Assert.NotEmpty(await guest.SayAsync("hola de nuevo"));
    }

    [Fact]
    public async Task Staff_routes_need_the_staff_key()
    {
        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/staff/reservations")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/staff/conversations")).StatusCode);

        using var staff = StaffClient();
        var stay = FutureStay();
        var availability = await staff.GetFromJsonAsync<JsonElement[]>($"/api/staff/availability?from={stay.CheckIn:yyyy-MM-dd}&to={stay.CheckOut:yyyy-MM-dd}") ?? [];
        var doble = Assert.Single(availability, a => a.GetProperty("roomType").GetString() == "doble");
        Assert.Equal(8, doble.GetProperty("available").GetInt32());
        Assert.Equal(95000m, doble.GetProperty("nightlyRate").GetDecimal());
        Assert.Equal("ARS", doble.GetProperty("currency").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.GetAsync("/api/staff/availability?from=mañana")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PostAsync("/api/staff/conversations/conv-nope/release", null)).StatusCode);
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();
}
