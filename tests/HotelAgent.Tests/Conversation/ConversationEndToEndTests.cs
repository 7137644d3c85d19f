using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Storage;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Conversation;

/// <summary>
/// Scripted guest conversations through the real webhook entry of the standalone host (real NLU, real dialog in
/// the durable conversation orchestration on DurableTask.Core, real embedded PMS on SQLite); only the WhatsApp Graph
/// API is a fake. The suite runs once per durable backend (<see cref="SqliteConversationEndToEndTests"/>,
/// <see cref="AzureStorageConversationEndToEndTests"/>).
/// </summary>
public abstract partial class ConversationEndToEndTests : IAsyncLifetime
{
    private FakeGraphApi _graph = null!;
    private StandaloneHost _host = null!;

    /// <summary>Settings that select and configure the durable backend.</summary>
    protected abstract Dictionary<string, string?> BackendSettings();

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _host = await StartHostAsync(new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<StandaloneHost> StartHostAsync(Dictionary<string, string?> extra)
    {
        var settings = Settings(_graph);
        foreach (var (key, value) in BackendSettings().Concat(extra))
        {
            settings[key] = value;
        }

        return await StandaloneHost.StartAsync(settings);
    }

    /// <summary>Replaces the host with one started with <paramref name="extra"/> settings.</summary>
    private async Task RestartHostAsync(Dictionary<string, string?> extra)
    {
        await _host.DisposeAsync();
        _host = await StartHostAsync(extra);
    }

    /// <summary>
    /// The standalone host's WhatsApp settings. The per-guest rate limit is raised out of the way: a scripted guest writes
    /// as fast as the host answers, and a rate-limited message is never handled (its turn would never end). The tests of
    /// the limit set their own values.
    /// </summary>
    internal static Dictionary<string, string?> Settings(FakeGraphApi graph)
    {
        var settings = graph.WhatsAppSettings(StandaloneHost.AccessToken, StandaloneHost.AppSecret, StandaloneHost.VerifyToken, StandaloneHost.PhoneNumberId);
        settings["RateLimit:Burst"] = "100";
        settings["RateLimit:PerMinute"] = "1000";
        return settings;
    }

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

        // Meta redelivers the "sí": acknowledged and dropped. The next turn proves it: everything sent since answers that turn.
        var sentBefore = guest.Received().Count;
        await guest.RedeliverAsync("sí", yesId);
        const string thanksId = "wamid.THANKS-AFTER-BOOKING-1";
        await guest.SayAsync("gracias!", thanksId);
        Assert.All(guest.Received().Skip(sentBefore), m => Assert.StartsWith(thanksId + ":", m.CallbackData, StringComparison.Ordinal));
        var reservations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        var booking = Assert.Single(reservations);
        Assert.Equal(reference.Value, booking.GetProperty("reference").GetString());
        Assert.Equal(guest.Phone, booking.GetProperty("contact").GetString());
        Assert.Equal("doble", booking.GetProperty("roomType").GetString());
        Assert.Equal(stay.CheckIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), booking.GetProperty("checkIn").GetString());
        Assert.Equal(2, booking.GetProperty("guests").GetInt32());
        Assert.Equal(0, booking.GetProperty("infants").GetInt32());
        Assert.Equal(JsonValueKind.Null, booking.GetProperty("note").ValueKind);
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

        var replied = await staff.PostAsJsonAsync($"/api/staff/conversations/{id}/reply", new { text = "Hola, soy Carla de recepción. ¿En qué te ayudo?" });
        Assert.Equal(HttpStatusCode.Accepted, replied.StatusCode);
        await _graph.WaitForSentMessageAsync(m => m.To == guest.WaId && m.Text is { } t && t.Contains("Carla", StringComparison.Ordinal));

        var released = await staff.PostAsync($"/api/staff/conversations/{id}/release", null);
        Assert.Equal(HttpStatusCode.Accepted, released.StatusCode);
        await guest.WaitForStatusAsync(s => !s.Dialog.HandedOff, "released by staff");
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

    private static readonly string[] Questions =
    [
        "¿Tienen wifi?", "¿Hay pileta?", "¿A qué hora es el check-in?", "¿Dónde están ubicados?", "¿Aceptan mascotas?",
        "¿Tienen estacionamiento?", "¿A qué hora es el check-out?",
    ];

    [Fact]
    public async Task Messages_raised_mid_turn_and_across_continue_as_new_are_answered_once_each_in_the_guests_order()
    {
        // Two messages per generation: seven back-to-back messages cross three continue-as-new restarts while events keep arriving.
        await RestartHostAsync(new() { ["Conversation:MessagesPerGeneration"] = "2", ["RateLimit:Burst"] = "100", ["RateLimit:PerMinute"] = "1000" });
        var guest = new GuestSimulator(_host, _graph, "5491155550140");
        var wamids = Questions.Select((_, i) => $"wamid.ORDER-{i}").ToArray();
        for (var i = 0; i < Questions.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text(Questions[i], guest.WaId, wamids[i], profileName: "Lucía")));
        }

        await guest.WaitForHandledAsync(Questions.Length);
        var answered = guest.Received().Select(m => m.CallbackData!.Split(':')[0]).ToArray();
        Assert.Equal(wamids, answered);
    }

    [Fact]
    public async Task A_conversation_continues_as_new_while_its_idle_timer_is_pending_and_keeps_answering()
    {
        // One turn at a time: every generation ends with its idle timer still set (DurableTask.Core completes an
        // orchestration only without open tasks, so the timer must be cancelled first).
        await RestartHostAsync(new() { ["Conversation:MessagesPerGeneration"] = "2" });
        var guest = new GuestSimulator(_host, _graph, "5491155550147");
        foreach (var question in Questions.Take(5))
        {
            Assert.NotEmpty(await guest.SayAsync(question));
        }

        var status = await guest.WaitForStatusAsync(s => s.Messages == 5, "five messages handled");
        Assert.Equal(2, status.Generation);
        Assert.Equal(1, (await CurrentGenerationHistoryAsync(guest.ConversationId)).Count(e => e.Type == "TimerCreated"));
    }

    [Fact]
    public async Task Two_webhooks_starting_the_same_new_conversation_at_once_both_get_one_answer()
    {
        var guest = new GuestSimulator(_host, _graph, "5491155550141");
        var first = guest.PostAsync(WhatsAppWebhookSamples.Text(Questions[0], guest.WaId, "wamid.RACE-0", profileName: "Lucía"));
        var second = guest.PostAsync(WhatsAppWebhookSamples.Text(Questions[1], guest.WaId, "wamid.RACE-1", profileName: "Lucía"));
        Assert.All(await Task.WhenAll(first, second), status => Assert.Equal(HttpStatusCode.OK, status));

        await guest.WaitForHandledAsync(2);
        Assert.Equal(["wamid.RACE-0", "wamid.RACE-1"], guest.Received().Select(m => m.CallbackData!.Split(':')[0]).Order());
        using var staff = StaffClient();
        var conversations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/conversations") ?? [];
        Assert.Single(conversations, c => c.GetProperty("messages").GetInt32() == 2);
    }

    [Fact]
    public async Task The_second_message_raised_while_the_conversation_is_being_created_is_answered_after_the_first()
    {
        var guest = new GuestSimulator(_host, _graph, "5491155550142");
        // The second webhook arrives right after the first is acknowledged: the instance exists but has not run yet.
        Assert.Equal(HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text(Questions[2], guest.WaId, "wamid.NEW-0", profileName: "Lucía")));
        Assert.Equal(HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text(Questions[3], guest.WaId, "wamid.NEW-1", profileName: "Lucía")));

        await guest.WaitForHandledAsync(2);
        Assert.Equal(["wamid.NEW-0", "wamid.NEW-1"], guest.Received().Select(m => m.CallbackData!.Split(':')[0]));
    }

    [Fact]
    public async Task After_the_idle_timeout_the_dialog_starts_fresh_and_the_next_message_is_answered()
    {
        await RestartHostAsync(new() { ["Conversation:IdleTimeoutMinutes"] = "0.05" }); // a 3-second durable timer
        var guest = new GuestSimulator(_host, _graph, "5491155550143");
        var stay = FutureStay();
        Assert.Contains("Habitación Doble", string.Join('\n', await guest.SayAsync($"hola, tienen lugar para 2 {stay.Spanish}?")), StringComparison.Ordinal);

        // Positive signal: the orchestration idled out (continued as new with the idle flag), no guest input needed.
        await guest.WaitForStatusAsync(s => s.Idle, "idled out");

        // The offer is gone: choosing a room no longer leads to the guest's name, and the guest still gets an answer.
        var next = string.Join('\n', await guest.SayAsync("la doble"));
        Assert.DoesNotContain("nombre", next, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_conversation_keeps_one_idle_timer_across_its_turns()
    {
        var guest = new GuestSimulator(_host, _graph, "5491155550144");
        foreach (var question in Questions.Take(3))
        {
            Assert.NotEmpty(await guest.SayAsync(question));
        }

        // One timer for the quiet spell, not one created and cancelled per turn (each of those still fired at the timeout).
        var history = await CurrentGenerationHistoryAsync(guest.ConversationId);
        Assert.Equal(1, history.Count(e => e.Type == "TimerCreated"));
        Assert.Equal(3, history.Count(e => e.Type == "EventRaised") + 1); // the first message travels in the start input
    }

    [Fact]
    public async Task A_message_inside_the_idle_window_moves_the_idle_reset_later()
    {
        await RestartHostAsync(new() { ["Conversation:IdleTimeoutMinutes"] = "0.1" }); // 6 seconds
        var guest = new GuestSimulator(_host, _graph, "5491155550145");
        foreach (var question in Questions.Take(3))
        {
            Assert.NotEmpty(await guest.SayAsync(question));
        }

        // The orchestration's own time at the end of the last turn (the status is written with that turn's last step).
        var lastTurn = await guest.WaitForStatusAsync(s => s.Messages == 3 && s.LastMessageAt is not null, "the third turn ended");
        await guest.WaitForStatusAsync(s => s.Idle, "idled out");

        // The timer set after the first turn fired before the conversation had been quiet for the whole timeout: it was set
        // again, so the reset came at least the timeout after the last turn, not after the first.
        var idleGeneration = (await CurrentGenerationHistoryAsync(guest.ConversationId)).First(e => e.Type == "ExecutionStarted");
        Assert.True(idleGeneration.Timestamp >= lastTurn.LastMessageAt!.Value.AddSeconds(6), $"idled out at {idleGeneration.Timestamp:O}, last turn ended at {lastTurn.LastMessageAt:O}");
    }

    [Fact]
    public async Task A_generation_started_before_the_kept_idle_timer_still_waits_with_a_timer_per_turn()
    {
        // Its history holds a timer per wait; replays must find them, so the older behaviour stays for that generation.
        var guest = new GuestSimulator(_host, _graph, "5491155550146");
        Assert.NotEmpty(await guest.SayAsync("Hola")); // opens the guest's WhatsApp window for the replies below
        var legacyId = guest.ConversationId + "-legacy";
        var message = new InboundMessage(Channel.WhatsApp, guest.Phone, "Lucía", Questions[0], "wamid.LEGACY-IDLE-1", DateTimeOffset.UtcNow);
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        await client.ScheduleNewOrchestrationInstanceAsync(
            ConversationOrchestrator.Name,
            new ConversationInput { ConversationId = legacyId, Channel = Channel.WhatsApp, GuestId = guest.Phone, FirstEvent = ConversationEvent.Guest(message), RecordsWithLastReply = true },
            new Microsoft.DurableTask.StartOrchestrationOptions(legacyId));
        var legacy = new ConversationProbe(_host, legacyId);
        await legacy.WaitForHandledAsync(1, () => string.Join("\n", guest.Received().Select(GuestSimulator.TextOf)));
        await client.RaiseEventAsync(legacyId, ConversationEvent.Name, ConversationEvent.Guest(message with { Text = Questions[1], ProviderMessageId = "wamid.LEGACY-IDLE-2" }));
        await legacy.WaitForHandledAsync(2, () => string.Join("\n", guest.Received().Select(GuestSimulator.TextOf)));

        var history = await CurrentGenerationHistoryAsync(legacyId);
        Assert.True(history.Count(e => e.Type == "TimerCreated") >= 2, string.Join(", ", history.Select(e => e.Type)));
    }

    private sealed record HistoryEntry(string Type, DateTime Timestamp);

    /// <summary>The backend's history of the instance's current generation (DurableTask.Core event shapes, either backend).</summary>
    private async Task<List<HistoryEntry>> CurrentGenerationHistoryAsync(string instanceId)
    {
        var backend = _host.Services.GetRequiredService<DurableTask.Core.IOrchestrationServiceClient>();
        using var history = JsonDocument.Parse(await backend.GetOrchestrationHistoryAsync(instanceId, null));
        return history.RootElement.EnumerateArray().Select(e => new HistoryEntry(EventTypeOf(e), e.GetProperty("Timestamp").GetDateTime().ToUniversalTime())).ToList();

        static string EventTypeOf(JsonElement e) => e.GetProperty("EventType") is { ValueKind: JsonValueKind.Number } number
            ? ((DurableTask.Core.History.EventType)number.GetInt32()).ToString()
            : e.GetProperty("EventType").GetString()!;
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();
}

/// <summary>The conversation suite on the embedded SQLite backend (the default).</summary>
public sealed class SqliteConversationEndToEndTests : ConversationEndToEndTests
{
    protected override Dictionary<string, string?> BackendSettings() => [];
}

/// <summary>The conversation suite on DurableTask.AzureStorage against Azurite: the engine the Functions host runs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageConversationEndToEndTests(AzuriteFixture azurite) : ConversationEndToEndTests
{
    protected override Dictionary<string, string?> BackendSettings() => azurite.DurableSettings();
}
