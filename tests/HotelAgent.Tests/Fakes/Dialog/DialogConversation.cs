using System.Text.Json;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Fakes.Dialog;

/// <summary>Drives a scripted conversation: one guest, one channel, the state carried from turn to turn (as the orchestration does).</summary>
public sealed class DialogConversation(ReceptionistDialog dialog, IDialogEffects effects, Channel channel, string guestId, string? displayName, DateOnly today)
{
    private int _counter;

    public DialogState State { get; set; } = DialogState.New;

    public DialogOutcome? Last { get; private set; }

    public List<DialogEvent> Events { get; } = [];

    /// <summary>Every reply of the conversation so far.</summary>
    public List<Reply> AllReplies { get; } = [];

    public DateOnly Today { get; set; } = today;

    /// <summary>All reply texts of the last turn joined.</summary>
    public string Text => Last is null ? string.Empty : string.Join("\n", Last.Replies.Select(r => r.Text));

    public async Task<DialogOutcome> Say(string text, string? replyId = null)
    {
        _counter++;
        var message = new InboundMessage(channel, guestId, displayName, text, $"wamid.{guestId}.{_counter}", new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero))
        {
            Kind = replyId is null ? InboundKind.Text : InboundKind.Interactive,
            ReplyId = replyId,
        };
        var outcome = await dialog.HandleAsync(State, new GuestTurn(message, Today, $"msg-{guestId}-{_counter}"), effects);

        // Persist and reload the state as JSON each turn, as the orchestration history does.
        var json = JsonSerializer.Serialize(outcome.State, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        State = JsonSerializer.Deserialize<DialogState>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Last = outcome;
        Events.AddRange(outcome.Events);
        AllReplies.AddRange(outcome.Replies);
        return outcome;
    }
}
