using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// The black-box probe of issue 20 against the standalone host: a WhatsApp guest books, then anonymous web-chat sessions
/// whose ids carry that guest's digits try to read and cancel the booking. Nothing may leak or change; only a one-time code
/// sent to the guest's own WhatsApp opens it, and then the guest's WhatsApp hears about the cancellation.
/// </summary>
public sealed partial class WebChatCrossGuestReliabilityTests : GraphHostTestBase
{
    [Fact]
    public async Task Web_chat_sessions_with_a_whatsapp_guests_digits_neither_see_nor_cancel_the_booking()
    {
        var (guest, reference) = await BookOnWhatsAppAsync("5491166660001", "Valentina Ruiz");
        using var http = Host.CreateClient();

        foreach (var session in new[] { "x-54-9-11-6666-0001", "5491166660001", "web-5491166660001", "abc5491166660001xyz", "atk-5491166660002" })
        {
            var visitor = new WebChatVisitor(Host, session);
            await visitor.SayAsync("quiero ver mi reserva");
            await visitor.SayAsync("quiero cancelar mi reserva");
            await visitor.SayAsync("sí");

            var heard = string.Join("\n", visitor.Heard);
            Assert.DoesNotContain(reference, heard, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Valentina", heard, StringComparison.Ordinal);
            Assert.DoesNotContain("Ruiz", heard, StringComparison.Ordinal);
        }

        Assert.Equal("confirmed", (await StaffBookingAsync(reference)).GetProperty("status").GetString());
        Assert.DoesNotContain(guest.Received(), m => GuestSimulator.TextOf(m).Contains("cancelada", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reference_and_wrong_codes_get_nothing_and_the_code_sent_to_the_guests_whatsapp_opens_it_and_the_guest_is_told()
    {
        var (guest, reference) = await BookOnWhatsAppAsync("5491166660003", "Valentina Ruiz");
        using var http = Host.CreateClient();
        var before = guest.Received().Count;

        var attacker = new WebChatVisitor(Host, "atk-guesses-000001");
        await attacker.SayAsync($"quiero cancelar la reserva {reference}");
        var codeMessage = await WaitForCodeAsync(guest, before);
        var code = CodePattern().Match(codeMessage).Value;
        foreach (var guess in Enumerable.Range(200_000, 3).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(g => g != code))
        {
            Assert.Contains("no coincide", string.Join('\n', await attacker.SayAsync(guess)), StringComparison.Ordinal);
        }

        await attacker.SayAsync("sí");
        Assert.DoesNotContain("Valentina", string.Join('\n', attacker.Heard), StringComparison.Ordinal);
        Assert.Equal("confirmed", (await StaffBookingAsync(reference)).GetProperty("status").GetString());

        // The guest, on a laptop, proves the booking with the code their WhatsApp received.
        var laptop = new WebChatVisitor(Host, "laptop-valentina-01");
        var beforeSecond = guest.Received().Count;
        await laptop.SayAsync($"quiero cancelar la reserva {reference}");
        var secondCode = CodePattern().Match(await WaitForCodeAsync(guest, beforeSecond)).Value;
        var summary = string.Join('\n', await laptop.SayAsync(secondCode));
        Assert.Contains("Valentina", summary, StringComparison.Ordinal);
        var done = string.Join('\n', await laptop.SayAsync("sí"));
        Assert.Contains("cancelé", done, StringComparison.Ordinal);

        Assert.Equal("cancelled", (await StaffBookingAsync(reference)).GetProperty("status").GetString());
        await Graph.WaitForSentMessageAsync(m => m.To == guest.WaId && GuestSimulator.TextOf(m).Contains("fue cancelada", StringComparison.Ordinal)
            && GuestSimulator.TextOf(m).Contains(reference, StringComparison.Ordinal));
    }

    private async Task<(GuestSimulator Guest, string Reference)> BookOnWhatsAppAsync(string waId, string name)
    {
        var stay = ConversationEndToEndTests.FutureStay();
        var guest = new GuestSimulator(Host, Graph, waId, name);
        await guest.SayAsync("Hola!");
        await guest.SayAsync($"tenés lugar para 2 personas {stay.Spanish}?");
        await guest.SayAsync("la doble");
        await guest.SayAsync("sí, a mi nombre");
        await guest.SayAsync("prefiero no");
        var confirmation = string.Join('\n', await guest.SayAsync("sí"));
        var reference = ReferencePattern().Match(confirmation);
        Assert.True(reference.Success, "No booking reference in: " + confirmation);
        return (guest, reference.Value);
    }

    private async Task<string> WaitForCodeAsync(GuestSimulator guest, int before)
    {
        var earlier = guest.Received().Take(before).ToHashSet();
        var code = await Graph.WaitForSentMessageAsync(m => m.To == guest.WaId && !earlier.Contains(m)
            && GuestSimulator.TextOf(m).Contains("código de verificación", StringComparison.Ordinal));
        return GuestSimulator.TextOf(code);
    }

    private async Task<JsonElement> StaffBookingAsync(string reference)
    {
        using var staff = Host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        var reservations = await staff.GetFromJsonAsync<JsonElement[]>("/api/staff/reservations") ?? [];
        return Assert.Single(reservations, r => r.GetProperty("reference").GetString() == reference);
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
