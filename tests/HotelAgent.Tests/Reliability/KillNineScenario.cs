using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// The kill -9 scenario, shared by <see cref="KillNineReliabilityTests"/> (small, kills between turns) and the
/// reliability bench (large, <c>inFlightKills</c>: kills while a webhook is being acknowledged or a reply is in flight).
/// </summary>
public static partial class KillNineScenario
{
    /// <param name="StatusWebhooks">Signed "sent" status webhooks the host acknowledged (the fake's Meta-like callbacks).</param>
    public sealed record Result(
        int Conversations, int Kills, int Restarts, int Lost, int DuplicateBookings, int DuplicateReplies, IReadOnlyList<string> Failures, int StatusWebhooks = 0);

    /// <param name="settings">Extra host settings, e.g. the durable backend (the SQLite one by default).</param>
    public static async Task<Result> RunAsync(int conversations, int seed, double killProbability, bool inFlightKills, Action<string>? progress = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-kill9-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        await using var graph = await FakeGraphApi.StartAsync();

        // Like Meta: every accepted send is followed by a signed "sent" status webhook echoing biz_opaque_callback_data,
        // redelivered while the host is down; ChildHost points it at the current host on every (re)start.
        graph.StatusWebhooksEnabled = true;
        graph.StatusWebhookAppSecret = ChildHost.AppSecret;
        using var host = new ChildHost(dataDirectory, graph, settings);
        int kills = 0, lost = 0, duplicateReplies = 0, duplicateBookings = 0;
        var killLog = new List<string>();
        try
        {
            await host.StartAsync();
            // Conversation 0 runs without kills: the reference transcript.
            int[]? control = null;
            for (var c = 0; c <= conversations; c++)
            {
                var waId = "54911556" + (c + 10000).ToString(CultureInfo.InvariantCulture);
                var script = Script(c);
                var perTurn = new int[script.Length];
                var turnsLost = 0;
                for (var turn = 0; turn < script.Length; turn++)
                {
                    var body = WhatsAppWebhookSamples.Text(script[turn], waId, $"wamid.KILL9-{c}-{turn}", profileName: "Lucía Fernández");
                    var before = Received(graph, waId).Count;
                    var kill = c > 0 && random.NextDouble() < killProbability ? 1 + random.Next(2) : 0;
                    if (kill != 0)
                    {
                        killLog.Add($"c{c}/t{turn}: " + (inFlightKills ? (kill == 1 ? "after ack" : "during POST") : (kill == 1 ? "idle, restart" : "idle, refused POST")));
                        kills++;
                    }

                    if (!inFlightKills && kill != 0)
                    {
                        host.Kill();
                        if (kill == 1)
                        {
                            await host.StartAsync();
                        }
                    }

                    // Deliver until acknowledged (200), restarting the host when it is down, as Meta redelivers.
                    var killedDuringPost = false;
                    while (true)
                    {
                        Task? killer = null;
                        if (inFlightKills && kill == 2 && !killedDuringPost)
                        {
                            var delay = random.Next(0, 40);
                            killer = Task.Run(async () =>
                            {
                                await Task.Delay(delay);
                                host.Kill();
                            });
                            killedDuringPost = true;
                        }

                        var status = await TryPostAsync(host, body);
                        if (killer is not null)
                        {
                            await killer;
                        }

                        if (!host.Running)
                        {
                            await host.StartAsync();
                        }

                        if (status == HttpStatusCode.OK)
                        {
                            break;
                        }
                    }

                    if (inFlightKills && kill == 1)
                    {
                        // Acknowledged, then killed before (or while) the reply goes out.
                        await Task.Delay(random.Next(0, 60));
                        host.Kill();
                        await host.StartAsync();
                    }

                    var handled = await WaitForTurnAsync(host, waId, turn + 1);
                    perTurn[turn] = Received(graph, waId).Count - before;
                    var replied = handled && perTurn[turn] > 0;
                    if (!replied)
                    {
                        turnsLost++;
                        failures.Add($"conversation {c} turn {turn} ('{script[turn]}'): no reply");
                    }
                }

                var transcript = Received(graph, waId).Select(t => ReferencePattern().Replace(t, "HPS-XXXXXX")).ToArray();
                if (turnsLost > 0 || !transcript.Any(t => t.Contains("HPS-XXXXXX", StringComparison.Ordinal)))
                {
                    lost++;
                }

                if (control is null)
                {
                    control = perTurn;
                    if (lost > 0)
                    {
                        failures.Add("control conversation has no reference:\n" + string.Join("\n---\n", transcript));
                        break;
                    }
                }
                else if (!perTurn.SequenceEqual(control) || transcript.Distinct().Count() != transcript.Length)
                {
                    duplicateReplies += Math.Max(0, transcript.Length - control.Sum());
                    failures.Add($"conversation {c}: replies per turn [{string.Join(",", perTurn)}], control [{string.Join(",", control)}]; kills: {string.Join(", ", killLog)}:\n"
                        + string.Join("\n---\n", transcript));
                }

                progress?.Invoke($"conversation {c}/{conversations}: {transcript.Length} replies, {kills} kills so far");
            }

            // Exactly one booking per conversation, all distinct.
            using var staff = StaffApi.Client(host.BaseAddress, ChildHost.StaffKey);
            var reservations = await staff.GetFromJsonAsync<JsonElement[]>("api/staff/reservations") ?? [];
            var contacts = reservations.Select(r => r.GetProperty("contact").GetString()).ToArray();
            duplicateBookings = contacts.Length - contacts.Distinct().Count();
            if (reservations.Length != conversations + 1 || duplicateBookings > 0)
            {
                failures.Add($"{reservations.Length} reservations for {conversations + 1} conversations: " + string.Join(", ", contacts));
            }

            return new Result(
                conversations + 1, kills, host.Starts - 1, lost, duplicateBookings, duplicateReplies, failures, graph.DeliveredStatusWebhooks.Count);
        }
        finally
        {
            host.Kill();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The scripted booking of conversation <paramref name="c"/>; stays spread over 3 months so the hotel never fills up.</summary>
    private static string[] Script(int c)
    {
        var month = DateTime.UtcNow.AddMonths(2 + (c % 3));
        var day = 1 + (c / 3 % 25);
        var spanishMonth = CultureInfo.GetCultureInfo("es-AR").DateTimeFormat.GetMonthName(month.Month);
        var stay = string.Create(CultureInfo.InvariantCulture, $"del {day} al {day + 2} de {spanishMonth}");
        return ["Hola!", $"tenés lugar para 2 personas {stay}?", "la doble", "sí, a mi nombre", "prefiero no", "sí"];
    }

    private static List<string> Received(FakeGraphApi graph, string waId) =>
        [.. graph.SentMessages.Where(m => m.To == waId).Select(TextOf)];

    private static string TextOf(FakeSentMessage message)
    {
        if (message.Text is { } text)
        {
            return text;
        }

        if (message.Type == "interactive" && message.Body.TryGetProperty("interactive", out var interactive)
            && interactive.TryGetProperty("body", out var body) && body.TryGetProperty("text", out var bodyText))
        {
            return bodyText.GetString() ?? string.Empty;
        }

        return "[" + message.Type + "]";
    }

    private static async Task<HttpStatusCode?> TryPostAsync(ChildHost host, string body)
    {
        try
        {
            using var client = host.CreateClient();
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.Add("X-Hub-Signature-256", WhatsAppWebhookSamples.Sign(body, ChildHost.AppSecret));
            using var response = await client.PostAsync("api/webhooks/whatsapp", content);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the guest's conversation counts <paramref name="messages"/> handled messages (its custom status, set
    /// after the turn's last reply was sent, read through the staff API): the turn is over, however slow the machine.
    /// </summary>
    private static async Task<bool> WaitForTurnAsync(ChildHost host, string waId, int messages)
    {
        // Generous: a reply whose POST a killed host may have made waits ChildHost.UnconfirmedSendWaitSeconds after the restart,
        // and on Azure Storage the restarted host takes over the killed one's leases and invisible messages first.
        using var staff = StaffApi.Client(host.BaseAddress, ChildHost.StaffKey);
        return await StaffApi.HandledWithinAsync(staff, ConversationIds.For(Channel.WhatsApp, "+" + waId), messages, TimeSpan.FromSeconds(120));
    }

    [GeneratedRegex("HPS-[A-Z0-9]{6}")]
    private static partial Regex ReferencePattern();
}
