using System.Globalization;
using System.Text.Json;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using HotelAgent.Core.Transcripts;
using HotelAgent.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HotelAgent.Functions.Functions.Staff;

/// <summary>
/// The staff API (function keys under the host, <c>Authorization: Bearer {Staff__ApiKey}</c> standalone): availability,
/// reservations, conversations (list, transcript, release, reply) and statistics.
/// </summary>
public sealed class StaffFunctions(
    IPmsClient pms,
    IInteractionLog interactions,
    ITranscriptStore transcripts,
    TimeProvider time,
    IOptions<AnalyticsOptions> analytics,
    IOptions<TranscriptOptions> transcriptOptions)
{
    /// <summary><c>GET /api/staff/availability?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c> → rooms free per type for the whole range.</summary>
    [Function("StaffAvailability")]
    public async Task<IActionResult> Availability([HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/availability")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryDate(request.Query["from"], out var from) || !TryDate(request.Query["to"], out var to) || to <= from)
        {
            return FunctionResults.Problem(400, "Invalid range", "Give from=YYYY-MM-DD and to=YYYY-MM-DD with to after from.");
        }

        try
        {
            var calendar = await pms.GetAvailabilityCalendarAsync(from, to, request.HttpContext.RequestAborted);
            return FunctionResults.Json(200, calendar.Select(a => new { roomType = a.RoomType, available = a.Available, nightlyRate = a.NightlyRate, currency = a.Currency }));
        }
        catch (PmsUnavailableException)
        {
            return PmsDown();
        }
    }

    /// <summary><c>GET /api/staff/reservations</c> → every reservation (optionally <c>?status=</c>, <c>from</c>, <c>to</c>).</summary>
    [Function("StaffReservations")]
    public async Task<IActionResult> Reservations([HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/reservations")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = new ReservationFilter
        {
            Status = Enum.TryParse<ReservationStatus>(request.Query["status"], ignoreCase: true, out var status) ? status : null,
            From = TryDate(request.Query["from"], out var from) ? from : null,
            To = TryDate(request.Query["to"], out var to) ? to : null,
        };
        try
        {
            var reservations = await pms.ListReservationsAsync(filter, request.HttpContext.RequestAborted);
            return FunctionResults.Json(200, reservations.Select(r => new
            {
                reference = r.Reference,
                guestName = r.GuestName,
                contact = r.Contact,
                roomType = r.RoomType,
                checkIn = r.CheckIn,
                checkOut = r.CheckOut,
                guests = r.Guests,
                children = r.Children,
                infants = r.Infants,
                note = r.Note,
                status = r.Status.ToString().ToLowerInvariant(),
                channel = r.Channel.ToString().ToLowerInvariant(),
                totalPrice = r.TotalPrice,
                currency = r.Currency,
            }));
        }
        catch (PmsUnavailableException)
        {
            return PmsDown();
        }
    }

    /// <summary><c>GET /api/staff/conversations</c> → each guest conversation's stage, last message time and handoff flag.</summary>
    [Function("StaffConversations")]
    public async Task<IActionResult> Conversations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/conversations")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "conv-", PageSize = 100 }))
        {
            instances.Add(instance);
            if (instances.Count >= 500)
            {
                break;
            }
        }

        var conversations = instances
            .Where(i => string.Equals(i.Name, ConversationOrchestrator.Name, StringComparison.OrdinalIgnoreCase))
            .Select(i => (Info: i, Status: Parse(i.SerializedCustomStatus)))
            .OrderByDescending(x => x.Status?.LastMessageAt ?? x.Info.LastUpdatedAt.UtcDateTime)
            .ToList();
        var lastLines = await transcripts.GetLastLinesAsync(conversations.Select(x => x.Info.InstanceId).ToArray(), request.HttpContext.RequestAborted);
        var rows = conversations
            .Select(x => new
            {
                id = x.Info.InstanceId,
                runtimeStatus = x.Info.RuntimeStatus.ToString(),
                channel = x.Status?.Channel,
                guest = x.Status?.Guest,
                guestFirstName = x.Status?.Dialog.GuestFirstName,
                stage = x.Status?.Dialog.Stage,
                lastIntent = x.Status?.Dialog.LastIntent,
                handoff = x.Status?.Dialog.HandedOff ?? false,
                handoffReason = x.Status?.Dialog.HandoffReason,
                lastMessageAt = x.Status?.LastMessageAt,
                messages = x.Status?.Messages ?? 0,
                lastMessage = lastLines.TryGetValue(x.Info.InstanceId, out var line)
                    ? new { from = Speaker(line.From), at = line.At, preview = TranscriptPreview.For(line.Text) }
                    : null,
            });
        return FunctionResults.Json(200, rows);
    }

    /// <summary>
    /// <c>GET /api/staff/conversations/{id}</c> → the recent transcript (guest, bot and staff messages with times, oldest
    /// first), the masked contact, stage, slots and handoff reason. Lines are kept for <c>Transcripts__RetentionDays</c>.
    /// </summary>
    [Function("StaffConversation")]
    public async Task<IActionResult> Conversation(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/conversations/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!IsConversationId(id))
        {
            return FunctionResults.Problem(404, "Unknown conversation", "No conversation has that id.");
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var transcript = await transcripts.GetAsync(id, cancellationToken);
        var instance = await client.GetInstanceAsync(id, cancellationToken);
        var live = instance is not null && string.Equals(instance.Name, ConversationOrchestrator.Name, StringComparison.OrdinalIgnoreCase) ? instance : null;
        if (transcript is null && live is null)
        {
            return FunctionResults.Problem(404, "Unknown conversation", "No conversation with that id has been kept.");
        }

        // The orchestration's own status is the current one; the transcript's snapshot stands in once it is gone.
        var status = Parse(live?.SerializedCustomStatus);
        var dialog = status?.Dialog ?? transcript?.Snapshot?.Dialog;
        return FunctionResults.Json(200, new
        {
            id,
            runtimeStatus = live?.RuntimeStatus.ToString(),
            channel = status?.Channel ?? transcript?.Snapshot?.Channel,
            guest = status?.Guest ?? transcript?.Snapshot?.Guest,
            guestFirstName = dialog?.GuestFirstName,
            stage = dialog?.Stage,
            language = dialog?.Language,
            lastIntent = dialog?.LastIntent,
            slots = dialog is null ? null : new { checkIn = dialog.CheckIn, checkOut = dialog.CheckOut, guests = dialog.Guests, roomType = dialog.RoomType },
            handoff = dialog?.HandedOff ?? false,
            handoffReason = dialog?.HandoffReason,
            lastMessageAt = status?.LastMessageAt ?? transcript?.Snapshot?.UpdatedAt.UtcDateTime,
            retentionDays = transcriptOptions.Value.RetentionDays,
            messages = (transcript?.Lines ?? []).Select(l => new
            {
                from = Speaker(l.From),
                at = l.At,
                text = l.Text,
                options = l.Options.Count == 0 ? null : l.Options,
            }),
        });
    }

    /// <summary><c>POST /api/staff/conversations/{id}/release</c>: hands a handed-off guest back to the bot.</summary>
    [Function("StaffConversationRelease")]
    public Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/conversations/{id}/release")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        RaiseAsync(client, id, "release", new ConversationEvent(ConversationEventType.StaffRelease), request.HttpContext.RequestAborted);

    /// <summary><c>POST /api/staff/conversations/{id}/reply</c> with <c>{"text": "..."}</c>: a staff answer sent on the guest's channel.</summary>
    [Function("StaffConversationReply")]
    public async Task<IActionResult> Reply(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/conversations/{id}/reply")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var read = await FunctionResults.ReadBodyAsync(request, InputLimits.MaxHttpBodyBytes, request.HttpContext.RequestAborted);
        if (read.Status == BodyReadStatus.TooLarge)
        {
            return FunctionResults.Problem(413, "Payload too large", $"Bodies are limited to {InputLimits.MaxHttpBodyBytes} bytes.");
        }

        string? text;
        try
        {
            using var body = JsonDocument.Parse(read.Bytes);
            text = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()?.Trim()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid UTF-8: bad input, answered 400 like any malformed body.
            text = null;
        }

        if (string.IsNullOrEmpty(text) || text.Length > 4096)
        {
            return FunctionResults.Problem(400, "Invalid reply", "Send {\"text\": \"...\"} with 1-4096 characters.");
        }

        var evt = new ConversationEvent(ConversationEventType.StaffReply) { StaffText = text, StaffEventId = request.HttpContext.TraceIdentifier };
        var raised = await RaiseAsync(client, id, "reply", evt, request.HttpContext.RequestAborted);
        if (raised is ContentResult { StatusCode: 202 })
        {
            // Staff lines go straight into the transcript (the send itself is the orchestration's, keyed the same way).
            await transcripts.AppendAsync(
                id,
                new TranscriptEntry(null, [new TranscriptLine("staff:" + evt.StaffEventId, time.GetUtcNow(), TranscriptSpeaker.Staff, text)]),
                request.HttpContext.RequestAborted);
        }

        return raised;
    }

    /// <summary><c>GET /api/staff/stats?from=&amp;to=</c> → per-day messages, intents, bookings, conversions and handoff rate.</summary>
    [Function("StaffStats")]
    public async Task<IActionResult> Stats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/stats")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var (from, to) = StatsRange.Resolve(request.Query["from"], request.Query["to"], StatsRange.Today(time, analytics.Value.TimeZone));
            var days = await interactions.GetStatsAsync(from, to, request.HttpContext.RequestAborted);
            var totals = await interactions.GetTotalsAsync(from, to, request.HttpContext.RequestAborted);
            return FunctionResults.Json(200, new { from, to, totals, days });
        }
        catch (ArgumentException ex)
        {
            return FunctionResults.Problem(400, "Invalid range", ex.Message);
        }
    }

    private static async Task<IActionResult> RaiseAsync(DurableTaskClient client, string id, string action, ConversationEvent evt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!IsConversationId(id))
        {
            return FunctionResults.Problem(404, "Unknown conversation", "No conversation has that id.");
        }

        var instance = await client.GetInstanceAsync(id, cancellationToken);
        if (instance is not { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            return FunctionResults.Problem(404, "Unknown conversation", "No active conversation has that id.");
        }

        await client.RaiseEventAsync(id, ConversationEvent.Name, evt, cancellationToken);
        return FunctionResults.Json(202, new { id, action });
    }

    /// <summary>Conversation ids are <c>conv-{channel}-{hash}</c> (<see cref="HotelAgent.Core.Messaging.ConversationIds"/>).</summary>
    private static bool IsConversationId(string? id) =>
        id is { Length: > 5 and <= 128 } && id.StartsWith("conv-", StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Speaker(TranscriptSpeaker speaker) => speaker switch
    {
        TranscriptSpeaker.Guest => "guest",
        TranscriptSpeaker.Staff => "staff",
        _ => "bot",
    };

    private static IActionResult PmsDown() =>
        FunctionResults.Problem(503, "PMS unavailable", "The property management system is not answering; try again shortly.");

    private static bool TryDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    internal static ConversationStatus? Parse(string? customStatus)
    {
        if (string.IsNullOrWhiteSpace(customStatus))
        {
            return null;
        }

        try
        {
            return OrchestrationJson.Deserialize<ConversationStatus>(customStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
