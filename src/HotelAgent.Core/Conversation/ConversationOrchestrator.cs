using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Transcripts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// One long-lived orchestration per guest conversation (instance id = <see cref="ConversationIds"/>). Each
/// inbound message arrives as an external event; the receptionist dialog decides, PMS and channel work runs as
/// activities, and the custom status shows staff the stage, slots, last intent and handoff flag.
/// History stays bounded: after <see cref="ConversationOptions.MessagesPerGeneration"/> messages, or after an idle
/// reset, the orchestration continues as new carrying its state and any unprocessed events.
/// Written once on the Durable Task SDK: the Functions host runs it through the <c>ConversationOrchestrator</c> function,
/// the standalone runtime through DurableTask.Core's worker.
/// </summary>
public sealed partial class ConversationOrchestrator(
    ReceptionistDialog dialog,
    HotelProfile hotel,
    IOptions<ConversationOptions> options) : TaskOrchestrator<ConversationInput, ConversationStatus?>
{
    public const string Name = "ConversationOrchestrator";

    private const int RecentMessageIdLimit = 50;

    private static readonly TaskOptions SendRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(4, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30)));

    public override async Task<ConversationStatus?> RunAsync(TaskOrchestrationContext context, ConversationInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = context.CreateReplaySafeLogger<ConversationOrchestrator>();
        var current = input ?? new ConversationInput { ConversationId = context.InstanceId, RecordsWithLastReply = true, KeepsIdleTimer = true };
        var effects = new DurableDialogEffects(context);
        var handled = 0;
        var idle = new IdleWait(context, TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes));
        var status = BuildStatus(current, null);
        context.SetCustomStatus(status);

        // The first message of a conversation travels in the start input (an event raised before the instance exists
        // can be lost on Azure Storage).
        if (current.FirstEvent is { } first)
        {
            current = await HandleAsync(context, effects, current with { FirstEvent = null }, first);
            handled++;
            idle.TurnEnded();
            status = BuildStatus(current, context.CurrentUtcDateTime);
            context.SetCustomStatus(status);
        }

        while (true)
        {
            if (handled >= options.Value.MessagesPerGeneration)
            {
                // Events already buffered are handled in this generation first: on continue-as-new the SDK re-sends buffered
                // events as new messages, which a backend may deliver after newer ones (Azure Storage does), out of the
                // guest's order. Once none is buffered, events still arriving in this batch go to the next generation in order.
                if (TryTakeBuffered(context) is { } buffered)
                {
                    current = await HandleAsync(context, effects, current, buffered);
                    status = BuildStatus(current, context.CurrentUtcDateTime);
                    context.SetCustomStatus(status);
                    continue;
                }

                idle.Release();
                context.ContinueAsNew(NextGeneration(current), preserveUnprocessedEvents: true);
                return status;
            }

            // Handed-off and freshly reset conversations wait for as long as it takes; active ones idle out.
            ConversationEvent? evt;
            if (current.KeepsIdleTimer)
            {
                (evt, var idledOut) = await idle.NextEventAsync(current);
                if (idledOut)
                {
                    return IdledOut();
                }
            }
            else if (current.Idle || current.State.HandedOff)
            {
                evt = await context.WaitForExternalEvent<ConversationEvent>(ConversationEvent.Name);
            }
            else
            {
                // Generations started before KeepsIdleTimer: a timer per wait, as their histories recorded.
                try
                {
                    evt = await context.WaitForExternalEvent<ConversationEvent>(ConversationEvent.Name, TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes));
                }
                catch (TaskCanceledException)
                {
                    return IdledOut();
                }
            }

            if (evt is null)
            {
                continue;
            }

            current = await HandleAsync(context, effects, current, evt);
            handled++;
            idle.TurnEnded();
            status = BuildStatus(current, context.CurrentUtcDateTime);
            context.SetCustomStatus(status);
        }

        ConversationStatus? IdledOut()
        {
            LogIdle(log, context.InstanceId);
            context.ContinueAsNew(NextGeneration(current) with { State = current.State.ResetForIdle(), Idle = true }, preserveUnprocessedEvents: true);
            return status;
        }
    }

    /// <summary>The next generation's input: versioned behaviours always on (older generations replay as recorded).</summary>
    private static ConversationInput NextGeneration(ConversationInput current) =>
        current with { Generation = current.Generation + 1, RecordsWithLastReply = true, KeepsIdleTimer = true };

    /// <summary>An event the SDK already holds for this orchestration, without waiting (null when none).</summary>
    private static ConversationEvent? TryTakeBuffered(TaskOrchestrationContext context)
    {
        // A buffered event completes the wait synchronously; otherwise the pre-cancelled wait ends at once. It is only
        // called right before continue-as-new, after which DurableTask.Core hands later events to the next generation.
        var wait = context.WaitForExternalEvent<ConversationEvent>(ConversationEvent.Name, new CancellationToken(canceled: true));
        return wait.IsCompletedSuccessfully ? wait.Result : null;
    }

    private async Task<ConversationInput> HandleAsync(TaskOrchestrationContext context, DurableDialogEffects effects, ConversationInput current, ConversationEvent evt)
    {
        switch (evt.Type)
        {
            case ConversationEventType.StaffRelease:
                return current with { State = current.State.Release(), Idle = false };

            case ConversationEventType.StaffReply when current.Channel is { } channel && current.GuestId is { } guest && !string.IsNullOrWhiteSpace(evt.StaffText):
                var staffMessage = new OutboundMessage(channel, guest, new Reply(evt.StaffText!), "staff:" + (evt.StaffEventId ?? context.NewGuid().ToString("N")))
                {
                    ChannelContext = current.ChannelContext,
                };
                await SendAsync(context, new SendReplyRequest(staffMessage, false, current.State.Language, current.ConversationId));
                return current;

            case ConversationEventType.GuestMessage when evt.Message is { } message:
                var messageKey = message.IsVoice ? message.ProviderMessageId + "#transcript" : message.ProviderMessageId;
                if (current.RecentMessageIds.Contains(messageKey, StringComparer.Ordinal))
                {
                    return current;
                }

                current = current with
                {
                    RecentMessageIds = [.. current.RecentMessageIds.TakeLast(RecentMessageIdLimit - 1), messageKey],
                    Channel = message.Channel,
                    GuestId = message.GuestId,
                    Idle = false,
                    TotalMessages = current.TotalMessages + 1,
                    ChannelContext = message.ChannelContext.Count > 0 ? message.ChannelContext : current.ChannelContext,
                };
                // The day the gateway accepted the message (the day its offline understanding was read against) when it
                // carries one: the same "today" for the NLU and the dialog, from the host's TimeProvider, replay-safe.
                var today = evt.Understanding?.Today ?? HotelClock.Today(hotel, context.CurrentUtcDateTime);
                DialogOutcome outcome;
                try
                {
                    effects.UseUnderstanding(evt.Understanding);
                    outcome = await dialog.HandleAsync(current.State, new GuestTurn(message, today, message.ProviderMessageId), effects);
                }
                catch (Exception ex) when (ex is not DurableTask.Core.Exceptions.NonDeterministicOrchestrationException and not DurableTask.Core.Exceptions.SessionAbortedException)
                {
                    // A dialog bug must not kill the guest's conversation: apologise, keep the state, tell staff through logs.
                    LogDialogFailed(context.CreateReplaySafeLogger<ConversationOrchestrator>(), ex, context.InstanceId);
                    outcome = new DialogOutcome(current.State, [new Reply(Apology(current.State.Language))], [], null, 0);
                }

                var bookedEvent = outcome.Events.FirstOrDefault(e => e.Kind == DialogEventKind.Booked);
                var booked = bookedEvent?.Reference;
                var bookingEvent = bookedEvent ?? outcome.Events.FirstOrDefault(e => e.Kind is DialogEventKind.Modified or DialogEventKind.Cancelled);
                var record = Task.CompletedTask;
                for (var i = 0; i < outcome.Replies.Count; i++)
                {
                    var outbound = new OutboundMessage(message.Channel, message.GuestId, outcome.Replies[i], $"{message.ProviderMessageId}:{i}")
                    {
                        ChannelContext = message.ChannelContext,
                    };
                    var confirmsBooking = booked is not null && (outcome.Replies[i].Text.Contains(booked, StringComparison.Ordinal) || i == outcome.Replies.Count - 1);
                    var last = i == outcome.Replies.Count - 1;
                    var send = SendAsync(context, new SendReplyRequest(outbound, message.IsVoice && i == 0, outcome.State.Language, current.ConversationId)
                    {
                        BookingReference = confirmsBooking ? booked : null,
                        // The turn's record rides on the last reply: one activity (and usually one orchestration step) fewer per turn.
                        Record = last && current.RecordsWithLastReply ? TurnRecordOf(context, current, message, outcome, bookingEvent) : null,
                    });
                    booked = confirmsBooking ? null : booked;
                    if (last && !current.RecordsWithLastReply)
                    {
                        // Generations started before RecordsWithLastReply: the record goes out as its own activity next to the
                        // last reply (one orchestration step fewer per turn); replies themselves stay strictly in order.
                        record = RecordAsync(context, current, message, outcome, bookingEvent);
                    }

                    await send;
                }

                if (outcome.Replies.Count == 0)
                {
                    record = RecordAsync(context, current, message, outcome, bookingEvent);
                }

                await record;
                return current with { State = outcome.State };

            default:
                return current;
        }
    }

    private static async Task SendAsync(TaskOrchestrationContext context, SendReplyRequest request)
    {
        try
        {
            await context.CallActivityAsync(ConversationActivities.SendReply, request, SendRetry);
        }
        catch (TaskFailedException ex)
        {
            // The reply could not be delivered after retries; keep the conversation alive for the next message.
            LogSendFailed(context.CreateReplaySafeLogger<ConversationOrchestrator>(), context.InstanceId, ex.FailureDetails.ErrorType);
            if (request.Record is { } record)
            {
                // The record rode on the failed send: the turn still counts in the statistics and the transcript.
                await RecordAsync(context, record);
            }
        }
    }

    private static Task RecordAsync(TaskOrchestrationContext context, ConversationInput current, InboundMessage message, DialogOutcome outcome, DialogEvent? booking) =>
        RecordAsync(context, TurnRecordOf(context, current, message, outcome, booking));

    private static async Task RecordAsync(TaskOrchestrationContext context, TurnRecord record)
    {
        try
        {
            await context.CallActivityAsync(ConversationActivities.RecordTurn, record);
        }
        catch (TaskFailedException ex)
        {
            LogSendFailed(context.CreateReplaySafeLogger<ConversationOrchestrator>(), context.InstanceId, "record: " + ex.FailureDetails.ErrorType);
        }
    }

    private static TurnRecord TurnRecordOf(TaskOrchestrationContext context, ConversationInput current, InboundMessage message, DialogOutcome outcome, DialogEvent? booking) =>
        new(
            context.CurrentUtcDateTime,
            current.ConversationId,
            message.Channel,
            outcome.Intent ?? "none",
            outcome.Confidence,
            outcome.Events.Select(e => e.Kind.ToString()).ToArray(),
            booking?.Reference,
            booking?.Total,
            booking?.Currency,
            (context.CurrentUtcDateTime - message.Timestamp.UtcDateTime).TotalMilliseconds)
        {
            Transcript = TranscriptOf(context, current, message, outcome),
        };

    /// <summary>The turn's lines for staff: the guest's message, then the replies under their send keys, and the state after it.</summary>
    private static TranscriptEntry TranscriptOf(TaskOrchestrationContext context, ConversationInput current, InboundMessage message, DialogOutcome outcome)
    {
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var guestAt = message.Timestamp <= now ? message.Timestamp : now;
        var lines = new List<TranscriptLine>(outcome.Replies.Count + 1) { new(message.ProviderMessageId, guestAt, TranscriptSpeaker.Guest, message.Text ?? string.Empty) };
        for (var i = 0; i < outcome.Replies.Count; i++)
        {
            lines.Add(new TranscriptLine($"{message.ProviderMessageId}:{i}", now, TranscriptSpeaker.Bot, outcome.Replies[i].Text)
            {
                Options = outcome.Replies[i].Options.Select(o => o.Title).ToArray(),
            });
        }

        var snapshot = new TranscriptSnapshot(
            message.Channel.ToString(),
            PiiMask.Contact(message.GuestId),
            DialogStatusView.FromState(outcome.State),
            now);
        return new TranscriptEntry(snapshot, lines);
    }

    private string Apology(string language) => language == "en"
        ? $"Sorry, I ran into a technical problem 🙏 Please try again in a moment, or reach us at {hotel.Phone} / {hotel.Email}."
        : $"Perdón, tuve un problema técnico 🙏 Probá de nuevo en un momento, o comunicate al {hotel.Phone} / {hotel.Email}.";

    /// <summary>
    /// The wait for a conversation's next event with its idle timeout, on one durable timer per quiet spell. The SDK's
    /// <c>WaitForExternalEvent(name, timeout)</c> creates a timer per wait and cancels it when the event wins: per guest
    /// turn a <c>TimerCreated</c> in the history, a timer in the backend that still fires (and wakes the orchestration)
    /// when the timeout has passed, and two thrown <see cref="TaskCanceledException"/>s. Here one timer covers many
    /// turns: when it fires before the conversation has been quiet for the whole timeout, it is set again for the new
    /// deadline. Decisions use only <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, so replays take them alike.
    /// </summary>
    private sealed class IdleWait(TaskOrchestrationContext context, TimeSpan timeout)
    {
        private DateTime _lastTurnEnded = context.CurrentUtcDateTime;
        private Task? _timer;
        private CancellationTokenSource? _timerCancel;
        private Task<ConversationEvent>? _event;
        private CancellationTokenSource? _eventCancel;

        public void TurnEnded() => _lastTurnEnded = context.CurrentUtcDateTime;

        /// <summary>The next event; or none when the timer fired early (call again); or idled out.</summary>
        public async Task<(ConversationEvent? Event, bool IdledOut)> NextEventAsync(ConversationInput current)
        {
            if (_event is null)
            {
                _eventCancel = new CancellationTokenSource();
                _event = context.WaitForExternalEvent<ConversationEvent>(ConversationEvent.Name, _eventCancel.Token);
            }

            if (!current.Idle && !current.State.HandedOff)
            {
                var deadline = _lastTurnEnded + timeout;
                if (_timer is null)
                {
                    _timerCancel = new CancellationTokenSource();
                    _timer = context.CreateTimer(deadline, _timerCancel.Token);
                }

                if (await Task.WhenAny(_event, _timer) != _event)
                {
                    _timer = null;
                    _timerCancel!.Dispose();
                    _timerCancel = null;
                    if (context.CurrentUtcDateTime < deadline)
                    {
                        return (null, false);
                    }

                    // Idled out: the event wait must not outlive this generation (an event later in the same batch
                    // would complete it and be lost).
                    Release();
                    return (null, true);
                }
            }

            var evt = await _event;
            _event = null;
            _eventCancel!.Dispose();
            _eventCancel = null;
            return (evt, false);
        }

        /// <summary>
        /// Before continuing as new: DurableTask.Core completes an orchestration only when it has no open task, so a pending
        /// timer is cancelled (one <see cref="TaskCanceledException"/> per generation, not per turn), and so is a pending
        /// event wait (the SDK then passes a late event on to the next generation).
        /// </summary>
        public void Release()
        {
            _timerCancel?.Cancel();
            _eventCancel?.Cancel();
        }
    }

    private static ConversationStatus BuildStatus(ConversationInput input, DateTime? lastMessageAt) => new()
    {
        Channel = input.Channel?.ToString() ?? "unknown",
        Guest = PiiMask.Contact(input.GuestId),
        Dialog = DialogStatusView.FromState(input.State),
        LastMessageAt = lastMessageAt,
        Messages = input.TotalMessages,
        Generation = input.Generation,
        Idle = input.Idle,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {InstanceId} idled out; the dialog starts fresh on the next message")]
    private static partial void LogIdle(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dialog failed in conversation {InstanceId}; the guest got an apology")]
    private static partial void LogDialogFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {InstanceId}: an activity failed after retries ({Error})")]
    private static partial void LogSendFailed(ILogger logger, string instanceId, string error);
}

/// <summary>
/// One guest turn for the recorders: the interaction log keeps the figures (no message bodies, no contacts), the
/// transcript store keeps <see cref="Transcript"/> for staff. <see cref="BookingReference"/>, <see cref="Revenue"/> and
/// <see cref="Currency"/> describe the booking the turn made, changed (new total) or cancelled (charge).
/// </summary>
public sealed record TurnRecord(
    DateTime Timestamp,
    string ConversationId,
    Channel Channel,
    string Intent,
    double Confidence,
    IReadOnlyList<string> Events,
    string? BookingReference,
    decimal? Revenue,
    string? Currency,
    double LatencyMs)
{
    /// <summary>The turn's lines and the state after it (the activity input already travels in the durable history).</summary>
    public TranscriptEntry? Transcript { get; init; }
}
