using System.Globalization;
using System.Text.Json;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Staff;

/// <summary>Shared bits of the staff API: route declarations (function keys under the host, bearer standalone).</summary>
internal static class StaffApi
{
    public static BindingDefinition[] Http(string route, params string[] methods) =>
        [Binding.HttpTrigger(route, "function", methods), Binding.HttpOut()];

    public static bool TryDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

/// <summary><c>GET /api/staff/availability?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c> → rooms free per type for the whole range.</summary>
public sealed class StaffAvailabilityFunction(IPmsClient pms) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("StaffAvailability", StaffApi.Http("staff/availability", "GET"));

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!StaffApi.TryDate(request.QueryValue("from"), out var from) || !StaffApi.TryDate(request.QueryValue("to"), out var to) || to <= from)
        {
            return FunctionHttpResponse.Problem(400, "Invalid range", "Give from=YYYY-MM-DD and to=YYYY-MM-DD with to after from.");
        }

        try
        {
            var calendar = await pms.GetAvailabilityCalendarAsync(from, to, cancellationToken);
            return FunctionHttpResponse.Json(200, calendar.Select(a => new { roomType = a.RoomType, available = a.Available, nightlyRate = a.NightlyRate, currency = a.Currency }));
        }
        catch (PmsUnavailableException)
        {
            return FunctionHttpResponse.Problem(503, "PMS unavailable", "The property management system is not answering; try again shortly.");
        }
    }
}

/// <summary><c>GET /api/staff/reservations</c> → every reservation (optionally <c>?status=</c>, <c>from</c>, <c>to</c>).</summary>
public sealed class StaffReservationsFunction(IPmsClient pms) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("StaffReservations", StaffApi.Http("staff/reservations", "GET"));

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = new ReservationFilter
        {
            Status = Enum.TryParse<ReservationStatus>(request.QueryValue("status"), ignoreCase: true, out var status) ? status : null,
            From = StaffApi.TryDate(request.QueryValue("from"), out var from) ? from : null,
            To = StaffApi.TryDate(request.QueryValue("to"), out var to) ? to : null,
        };
        try
        {
            var reservations = await pms.ListReservationsAsync(filter, cancellationToken);
            return FunctionHttpResponse.Json(200, reservations.Select(r => new
            {
                reference = r.Reference,
                guestName = r.GuestName,
                contact = r.Contact,
                roomType = r.RoomType,
                checkIn = r.CheckIn,
                checkOut = r.CheckOut,
                guests = r.Guests,
                status = r.Status.ToString().ToLowerInvariant(),
                channel = r.Channel.ToString().ToLowerInvariant(),
                totalPrice = r.TotalPrice,
                currency = r.Currency,
            }));
        }
        catch (PmsUnavailableException)
        {
            return FunctionHttpResponse.Problem(503, "PMS unavailable", "The property management system is not answering; try again shortly.");
        }
    }
}

/// <summary><c>GET /api/staff/conversations</c> → each guest conversation's stage, last message time and handoff flag.</summary>
public sealed class StaffConversationsFunction(IDurableClient durable) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("StaffConversations", [.. StaffApi.Http("staff/conversations", "GET"), Binding.DurableClient()]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        var instances = await durable.ListAsync(new OrchestrationQuery { InstanceIdPrefix = "conv-", Top = 500 }, cancellationToken);
        var rows = instances
            .Where(i => string.Equals(i.Name, ConversationOrchestrator.Name, StringComparison.OrdinalIgnoreCase))
            .Select(i => (Info: i, Status: Parse(i.CustomStatus)))
            .OrderByDescending(x => x.Status?.LastMessageAt ?? x.Info.LastUpdatedTime.UtcDateTime)
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
            });
        return FunctionHttpResponse.Json(200, rows);
    }

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

/// <summary>
/// <c>POST /api/staff/conversations/{id}/release</c> (hand the guest back to the bot) and
/// <c>POST /api/staff/conversations/{id}/reply</c> with <c>{"text": "..."}</c> (a staff answer sent on the guest's channel).
/// </summary>
public sealed class StaffConversationActionFunction(IDurableClient durable, string action) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new(
        action == "release" ? "StaffConversationRelease" : "StaffConversationReply",
        [.. StaffApi.Http($"staff/conversations/{{id}}/{action}", "POST"), Binding.DurableClient()]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Route("id");
        if (string.IsNullOrWhiteSpace(id) || !id.StartsWith("conv-", StringComparison.Ordinal))
        {
            return FunctionHttpResponse.Problem(404, "Unknown conversation", "No conversation has that id.");
        }

        ConversationEvent evt;
        if (action == "release")
        {
            evt = new ConversationEvent(ConversationEventType.StaffRelease);
        }
        else
        {
            string? text;
            try
            {
                using var body = JsonDocument.Parse(request.Body);
                text = body.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()?.Trim() : null;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // Not JSON, or a string that is not valid UTF-8: bad input, answered 400 like any malformed body.
                text = null;
            }

            if (string.IsNullOrEmpty(text) || text.Length > 4096)
            {
                return FunctionHttpResponse.Problem(400, "Invalid reply", "Send {\"text\": \"...\"} with 1-4096 characters.");
            }

            evt = new ConversationEvent(ConversationEventType.StaffReply) { StaffText = text, StaffEventId = context.InvocationId };
        }

        var status = await durable.GetStatusAsync(id, false, cancellationToken);
        if (status is null || !status.IsActive)
        {
            return FunctionHttpResponse.Problem(404, "Unknown conversation", "No active conversation has that id.");
        }

        await durable.RaiseEventAsync(id, ConversationEvent.Name, OrchestrationJson.Serialize(evt), cancellationToken);
        return FunctionHttpResponse.Json(202, new { id, action });
    }
}

/// <summary><c>GET /api/staff/stats?from=&amp;to=</c> → per-day messages, intents, bookings, conversions and handoff rate.</summary>
public sealed class StaffStatsFunction(IInteractionLog log, TimeProvider time, Microsoft.Extensions.Options.IOptions<AnalyticsOptions> analytics) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("StaffStats", StaffApi.Http("staff/stats", "GET"));

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var (from, to) = StatsRange.Resolve(request.QueryValue("from"), request.QueryValue("to"), StatsRange.Today(time, analytics.Value.TimeZone));
            var days = await log.GetStatsAsync(from, to, cancellationToken);
            var totals = await log.GetTotalsAsync(from, to, cancellationToken);
            return FunctionHttpResponse.Json(200, new { from, to, totals, days });
        }
        catch (ArgumentException ex)
        {
            return FunctionHttpResponse.Problem(400, "Invalid range", ex.Message);
        }
    }
}
