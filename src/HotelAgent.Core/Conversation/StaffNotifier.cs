using System.Net.Http.Json;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Conversation;

/// <summary>Tells hotel staff that a guest needs a person (handoff) or asked something the bot could not answer.</summary>
public interface IStaffNotifier
{
    Task NotifyAsync(HandoffNotice notice, CancellationToken cancellationToken);
}

/// <summary>Staff notification settings (section <c>Staff</c>).</summary>
public sealed class StaffNotificationOptions
{
    /// <summary>Optional URL that receives a JSON POST per notice (Teams/Slack incoming webhook, a ticketing system...).</summary>
    public Uri? NotificationWebhookUrl { get; set; }
}

/// <summary>
/// Logs every notice as a warning (visible in Application Insights / the console) and, when configured, posts it
/// to <c>Staff__NotificationWebhookUrl</c>. The guest's contact is masked; staff open the conversation by its id.
/// </summary>
public sealed partial class StaffNotifier(IHttpClientFactory httpClients, IOptions<StaffNotificationOptions> options, ILogger<StaffNotifier> logger) : IStaffNotifier
{
    public async Task NotifyAsync(HandoffNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        LogNotice(logger, notice.IsHandoff ? "handoff" : "question", notice.ConversationId, notice.Channel, PiiMask.Contact(notice.GuestId), notice.Reason);
        if (options.Value.NotificationWebhookUrl is not { } url)
        {
            return;
        }

        using var http = httpClients.CreateClient(nameof(StaffNotifier));
        using var response = await http.PostAsJsonAsync(url, new
        {
            kind = notice.IsHandoff ? "handoff" : "question",
            conversationId = notice.ConversationId,
            channel = notice.Channel.ToString(),
            guest = PiiMask.Contact(notice.GuestId),
            guestName = notice.GuestName,
            reason = notice.Reason,
            stage = notice.Stage,
            lastGuestText = notice.LastGuestText,
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staff attention ({Kind}) for conversation {ConversationId} on {Channel} guest {Guest}: {Reason}")]
    private static partial void LogNotice(ILogger logger, string kind, string conversationId, Channel channel, string guest, string reason);
}
