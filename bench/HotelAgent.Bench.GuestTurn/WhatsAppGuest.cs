using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Bench.GuestTurn;

/// <summary>One scripted guest message: text, or a tapped button (<see cref="ButtonId"/>).</summary>
/// <param name="Confirms">The turn that confirms a new booking (its reply carries the reservation code).</param>
public sealed record GuestStep(string Text, string? ButtonId = null, bool Faq = false, bool Confirms = false);

public sealed record TurnResult(bool Accepted, double AckMs, double? ReplyMs, int Sends, IReadOnlyList<string> Texts);

/// <summary>One WhatsApp guest: posts signed webhooks and waits for the fake Graph to receive the replies.</summary>
/// <param name="faqOnly">The issue-14 procedure: the six FAQ questions in turn, nothing booked.</param>
public sealed class WhatsAppGuest(HttpClient http, FakeGraph graph, string waId, int index, bool faqOnly = false)
{
    public const string AppSecret = "bench-app-secret";
    public const string PhoneNumberId = "106540352242922";

    /// <summary>A turn without a reply within this long is a timeout (counted, and censored at this value in percentiles).</summary>
    public const double TimeoutMs = 10_000;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] Faq = ["¿A qué hora es el desayuno?", "¿Tienen wifi?", "¿Cuál es la hora del check-out?", "¿Aceptan mascotas?", "¿Tienen estacionamiento?", "¿A qué hora es el check-in?"];

    private readonly GuestInbox _inbox = graph.Inbox(waId);

    public IReadOnlyList<string> Transcript() => _inbox.TextsFrom(0);

    /// <summary>
    /// The loop's conversation. Stays spread over months 1–4 ahead (2 nights, non-overlapping slots per month) so the
    /// hotel does not fill up; the modification moves the stay four months later; the cancellation frees it again.
    /// </summary>
    public List<GuestStep> Script(int loop)
    {
        if (faqOnly)
        {
            return [.. Enumerable.Range(0, Faq.Length).Select(i => new GuestStep(Faq[(index + i) % Faq.Length], Faq: true))];
        }

        var today = DateTime.UtcNow;
        var month = new DateTime(today.Year, today.Month, 1).AddMonths(1 + (index % 4));
        var moved = month.AddMonths(4);
        var day = 1 + (2 * ((index / 4) % 13));
        var es = CultureInfo.GetCultureInfo("es-AR").DateTimeFormat;
        string Stay(DateTime m) => string.Create(C, $"del {day} al {day + 2} de {es.GetMonthName(m.Month)}");
        // The first booking asks for the name and an email; later ones reuse what the guest gave (3 turns).
        List<GuestStep> booking = loop == 0
            ? [new($"tenés lugar para 2 personas {Stay(month)}?"), new("la doble"), new("sí, a mi nombre"), new("prefiero no"), new("sí", Confirms: true)]
            : [new($"tenés lugar para 2 personas {Stay(month)}?"), new("la doble"), new("sí", Confirms: true)];
        return
        [
            .. booking,
            new(Faq[(loop * 4) % Faq.Length], Faq: true),
            new("quiero cambiar mi reserva"),
            new("Las fechas", ButtonId: "change_dates"),
            new(Stay(moved)),
            new("sí"),
            new(Faq[((loop * 4) + 1) % Faq.Length], Faq: true),
            new("quiero cancelar mi reserva"),
            new("sí"),
            new(Faq[((loop * 4) + 2) % Faq.Length], Faq: true),
            new(Faq[((loop * 4) + 3) % Faq.Length], Faq: true),
        ];
    }

    /// <summary>Sends <paramref name="step"/>, waits until sends stop for 300 ms, returns how many arrived.</summary>
    public async Task<int> ProbeAsync(GuestStep step)
    {
        var before = _inbox.Count;
        await PostAsync(step);
        var last = before;
        var quiet = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while ((quiet.ElapsedMilliseconds < 300 || _inbox.Count == before) && total.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
            if (_inbox.Count != last)
            {
                last = _inbox.Count;
                quiet.Restart();
            }
        }

        return _inbox.Count - before;
    }

    /// <summary>One turn: POST sent → 200 read (ack) and POST sent → first reply; then waits for the turn's <paramref name="expected"/> sends.</summary>
    public async Task<TurnResult> TurnAsync(GuestStep step, int expected)
    {
        var before = _inbox.Count;
        var sent = Stopwatch.GetTimestamp();
        var acked = await PostAsync(step);
        var ackMs = Stopwatch.GetElapsedTime(sent, acked.At).TotalMilliseconds;
        if (!acked.Ok)
        {
            return new TurnResult(false, ackMs, null, 0, []);
        }

        var firstReply = _inbox.WaitAsync(before);
        var remaining = TimeSpan.FromMilliseconds(TimeoutMs) - Stopwatch.GetElapsedTime(sent);
        if (remaining <= TimeSpan.Zero || await Task.WhenAny(firstReply, Task.Delay(remaining)) != firstReply)
        {
            return new TurnResult(true, ackMs, null, _inbox.Count - before, []);
        }

        var all = _inbox.WaitAsync(before + Math.Max(1, expected) - 1);
        await Task.WhenAny(all, Task.Delay(2_000));
        return new TurnResult(true, ackMs, Stopwatch.GetElapsedTime(sent, firstReply.Result).TotalMilliseconds, _inbox.Count - before, _inbox.TextsFrom(before));
    }

    private async Task<(bool Ok, long At)> PostAsync(GuestStep step)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(C);
        var wamid = "wamid.HBgN" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        var text = step.Text.Replace("\"", "\\\"", StringComparison.Ordinal);
        var content = step.ButtonId is null
            ? "\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}"
            : "\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"" + step.ButtonId + "\",\"title\":\"" + text + "\"}}";
        var body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"5491140001234\",\"phone_number_id\":\""
            + PhoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Lucía Gómez\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
            + "\",\"timestamp\":\"" + now + "\"," + content + "}]},\"field\":\"messages\"}]}]}";
        var bytes = Encoding.UTF8.GetBytes(body);
        using var payload = new ByteArrayContent(bytes);
        payload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        payload.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), bytes)));
        try
        {
            using var response = await http.PostAsync("/api/webhooks/whatsapp", payload);
            return (response.StatusCode == HttpStatusCode.OK, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (false, Stopwatch.GetTimestamp());
        }
    }
}
