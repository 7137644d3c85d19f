using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Orchestration;
using Microsoft.DurableTask.Client;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Dialog;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Tests.Dialog.Corpus;

/// <summary>
/// Runs a <see cref="ConversationScript"/> the way a guest would: through the dialog with the real offline NLU and the real
/// embedded PMS (the state round-tripped as JSON each turn, as the orchestration keeps it), or through the standalone host's
/// web chat API or signed WhatsApp webhooks (the durable conversation orchestration, the reply dispatcher, the channel).
/// </summary>
public static class ConversationRunner
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static string GuestIdFor(ConversationScript script, Channel channel)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(script.Id));
        var digits = (BitConverter.ToUInt32(hash, 0) % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        return channel switch
        {
            Channel.WhatsApp => "+54911" + digits,
            Channel.Email => $"guest{digits}@example.com",
            // The web chat's guest id is its session id under the "webchat:" prefix, as the endpoint builds it.
            _ => WebChatSessions.GuestId("web-" + Convert.ToHexStringLower(hash.AsSpan(0, 8))),
        };
    }

    /// <summary>Through <see cref="ReceptionistDialog"/> with the real offline NLU and embedded PMS (time from the script).</summary>
    public static async Task<ConversationRun> RunThroughDialogAsync(ConversationScript script, HotelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(script);
        var now = script.Start.ToUniversalTime();
        using var effects = new DialogTestEffects(profile, now);
        var dialog = new ReceptionistDialog(profile, emailConfirmations: script.EmailChannel);
        var guestId = GuestIdFor(script, script.Channel);
        var seeds = await SeedAsync(effects.Pms, script, guestId);

        var state = DialogState.New;
        var turns = new List<TurnTranscript>();
        var n = 0;
        foreach (var turn in script.Turns)
        {
            n++;
            now += turn.Delay;
            effects.Time.SetUtcNow(now);
            var message = new InboundMessage(script.Channel, guestId, script.DisplayName, turn.Text, $"{script.Id}.{n}", now)
            {
                Kind = turn.ReplyId is null ? InboundKind.Text : InboundKind.Interactive,
                ReplyId = turn.ReplyId,
            };
            var today = HotelClock.Today(profile, now.UtcDateTime);
            var outcome = await dialog.HandleAsync(state, new GuestTurn(message, today, $"{script.Id}-{n}"), effects);
            state = JsonSerializer.Deserialize<DialogState>(JsonSerializer.Serialize(outcome.State, Web), Web)!;
            turns.Add(new TurnTranscript(turn, outcome.Replies.Select(r => r.Text).ToArray(),
                outcome.Replies.SelectMany(r => r.Options.Select(o => o.Title)).ToArray(), state.Stage.ToString()));
        }

        return new ConversationRun
        {
            Script = script,
            Path = "dialog",
            GuestId = guestId,
            Turns = turns,
            Reservations = await effects.Pms.FindReservationsByContactAsync(guestId),
            SeedsAfter = await ReloadAsync(effects.Pms, seeds),
            HandedOff = state.HandedOff,
            HandoffReason = state.HandoffReason,
            Notices = effects.Notices.ToArray(),
        };
    }

    /// <summary>
    /// Through the standalone host (real Kestrel, durable conversation orchestration, embedded PMS on SQLite) via the web chat
    /// API or signed WhatsApp webhooks, with the host's clock set to the script's time. Each turn waits for the positive signal
    /// that the orchestration processed it (its message count), then reads what the guest received.
    /// </summary>
    public static async Task<ConversationRun> RunThroughHostAsync(ConversationScript script, string path)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.Turns.Any(t => t.Delay > TimeSpan.Zero))
        {
            throw new InvalidOperationException($"{script.Id}: scripts with time jumps run through the dialog only.");
        }

        var channel = path == "whatsapp" ? Channel.WhatsApp : Channel.WebChat;
        var clock = new ShiftedTimeProvider(script.Start - DateTimeOffset.UtcNow);
        var email = new RecordingEmailSender();
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = graph.WhatsAppSettings(StandaloneHost.AccessToken, StandaloneHost.AppSecret, StandaloneHost.VerifyToken, StandaloneHost.PhoneNumberId);
        settings["RateLimit:Burst"] = "100";
        settings["RateLimit:PerMinute"] = "600";
        await using var host = await StandaloneHost.StartAsync(settings, configureServices: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
            if (script.EmailChannel)
            {
                services.AddSingleton<IChannelSender>(email);
            }
        });

        var guestId = GuestIdFor(script, channel);
        var pms = host.Services.GetRequiredService<IPmsClient>();
        var seeds = await SeedAsync(pms, script, guestId);
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var conversationId = ConversationIds.For(channel, guestId);
        using var http = host.CreateClient();
        var waId = guestId.TrimStart('+');
        var sessionId = channel == Channel.WebChat ? guestId[WebChatSessions.GuestIdPrefix.Length..] : "";
        var guest = new GuestSimulator(host, graph, waId, script.DisplayName ?? "Guest");

        var turns = new List<TurnTranscript>();
        long webSequence = 0;
        var sentBefore = 0;
        var n = 0;
        foreach (var turn in script.Turns)
        {
            n++;
            var text = turn.ReplyId is null ? turn.Text : turn.Text.Length > 0 ? turn.Text : turn.ReplyId;
            if (channel == Channel.WebChat)
            {
                using var posted = await http.PostAsJsonAsync($"/api/webchat/{sessionId}/messages", new { text, name = script.DisplayName, id = $"{script.Id}-{n}" });
                posted.EnsureSuccessStatusCode();
            }
            else
            {
                sentBefore = guest.Received().Count;
                var status = await guest.PostAsync(WhatsAppWebhookSamples.Text(text, waId, $"wamid.{script.Id}.{n}", clock.GetUtcNow(), script.DisplayName ?? "Guest"));
                if (status != System.Net.HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"webhook answered {status}");
                }
            }

            var customStatus = await WaitForMessagesAsync(durable, conversationId, n);
            IReadOnlyList<string> replies;
            IReadOnlyList<string> titles;
            if (channel == Channel.WebChat)
            {
                var got = await http.GetFromJsonAsync<WebChatReply[]>($"/api/webchat/{sessionId}/messages?after={webSequence}", Web) ?? [];
                webSequence = got.Length == 0 ? webSequence : got.Max(r => r.Sequence);
                replies = got.Select(r => r.Text).ToArray();
                titles = got.SelectMany(r => r.Options.Select(o => o.Title)).ToArray();
            }
            else
            {
                var got = guest.Received().Skip(sentBefore).ToArray();
                replies = got.Select(GuestSimulator.TextOf).ToArray();
                titles = [];
            }

            turns.Add(new TurnTranscript(turn, replies, titles, customStatus.Dialog.Stage));
        }

        var final = await WaitForMessagesAsync(durable, conversationId, n);
        return new ConversationRun
        {
            Script = script,
            Path = path,
            GuestId = guestId,
            Turns = turns,
            Reservations = await pms.FindReservationsByContactAsync(guestId),
            SeedsAfter = await ReloadAsync(pms, seeds),
            HandedOff = final.Dialog.HandedOff,
            HandoffReason = final.Dialog.HandoffReason,
            Notices = null,
            EmailsSent = email.Sent.Select(m => (m.GuestId, m.Reply.Attachments.Any(a => a.FileName.EndsWith(".ics", StringComparison.Ordinal)))).ToArray(),
        };
    }

    private static async Task<Core.Conversation.ConversationStatus> WaitForMessagesAsync(DurableTaskClient durable, string instanceId, int messages)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var info = await durable.GetInstanceAsync(instanceId);
            if (info?.SerializedCustomStatus is { } json && OrchestrationJson.Deserialize<Core.Conversation.ConversationStatus>(json) is { } status && status.Messages >= messages)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The conversation {instanceId} did not process message {messages} within 60 s.");
            }

            await Task.Delay(40);
        }
    }

    private static async Task<IReadOnlyList<Reservation>> SeedAsync(IPmsClient pms, ConversationScript script, string guestId)
    {
        var list = new List<Reservation>();
        var i = 0;
        foreach (var seed in script.Seeds)
        {
            i++;
            var contact = seed.Mine ? guestId : $"+5491100000{i:D3}";
            list.Add(await pms.CreateReservationAsync(new NewReservation
            {
                IdempotencyKey = $"seed-{script.Id}-{i}",
                GuestName = seed.Name,
                Contact = contact,
                Channel = contact.Contains('@', StringComparison.Ordinal) ? Channel.Email : script.Channel,
                RoomType = seed.RoomType,
                CheckIn = seed.CheckIn,
                CheckOut = seed.CheckOut,
                Guests = seed.Guests,
            }));
        }

        return list;
    }

    private static async Task<IReadOnlyList<Reservation>> ReloadAsync(IPmsClient pms, IReadOnlyList<Reservation> seeds)
    {
        var list = new List<Reservation>();
        foreach (var s in seeds)
        {
            list.Add(await pms.GetReservationAsync(s.Reference));
        }

        return list;
    }
}

/// <summary>The real clock shifted to the script's date, so relative dates ("el viernes") mean the same as in the script.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}

/// <summary>Stands in for the email channel (Gmail in production): records what would be sent.</summary>
public sealed class RecordingEmailSender : IChannelSender
{
    private readonly List<OutboundMessage> _sent = [];

    public Channel Channel => Channel.Email;

    public IReadOnlyList<OutboundMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToArray();
            }
        }
    }

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_sent)
        {
            if (!_sent.Any(m => m.IdempotencyKey == message.IdempotencyKey))
            {
                _sent.Add(message);
            }
        }

        return Task.CompletedTask;
    }
}
