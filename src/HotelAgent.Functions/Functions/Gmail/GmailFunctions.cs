using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Core.Orchestration;
using HotelAgent.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Functions.Functions.Gmail;

/// <summary>The hotel inbox: a timer poll (<c>%Gmail__PollSchedule%</c>, default every 2 minutes) and a poll on demand.</summary>
public sealed partial class GmailFunctions(GmailInboxPoller poller, ILogger<GmailFunctions> logger)
{
    public const string ScheduleSetting = "Gmail__PollSchedule";

    [Function("GmailPoll")]
    public async Task Poll([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (DurableClientAccessor.Use(client))
        {
            var result = await poller.PollOnceAsync(cancellationToken);
            LogPoll(logger, result.Fetched, result.Accepted, result.Skipped, result.Failed, result.Error ?? "none");
        }
    }

    /// <summary><c>POST /api/webhooks/gmail</c>: one poll on demand; authenticated like the staff API.</summary>
    [Function("GmailWebhook")]
    public async Task<IActionResult> Webhook(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/gmail")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (DurableClientAccessor.Use(client))
        {
            var result = await poller.PollOnceAsync(request.HttpContext.RequestAborted);
            var status = result.Error is null || ReferenceEquals(result, GmailPollResult.Disabled) ? 200 : 502;
            return FunctionResults.Json(status, new
            {
                fetched = result.Fetched,
                accepted = result.Accepted,
                skipped = result.Skipped,
                failed = result.Failed,
                error = result.Error,
                errorKind = result.ErrorKind?.ToString(),
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gmail poll: {Fetched} fetched, {Accepted} accepted, {Skipped} skipped, {Failed} failed (error: {Error})")]
    private static partial void LogPoll(ILogger logger, int fetched, int accepted, int skipped, int failed, string error);
}
