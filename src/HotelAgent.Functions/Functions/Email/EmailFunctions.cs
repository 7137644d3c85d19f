using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Orchestration;
using HotelAgent.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Functions.Functions.Email;

/// <summary>The hotel mailbox: a timer poll (<c>%Email__PollSchedule%</c>, default every 2 minutes) and a poll on demand.</summary>
public sealed class EmailFunctions(EmailPoller poller)
{
    public const string ScheduleSetting = "Email__PollSchedule";

    /// <summary>One IMAP poll; the poller logs its own outcome (counts and any error); mail-server errors are not thrown.</summary>
    [Function("EmailPoll")]
    public async Task Poll([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (DurableClientAccessor.Use(client))
        {
            await poller.PollAsync(cancellationToken);
        }
    }

    /// <summary><c>POST /api/webhooks/email</c>: one poll on demand; authenticated like the staff API.</summary>
    [Function("EmailWebhook")]
    public async Task<IActionResult> Webhook(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/email")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (DurableClientAccessor.Use(client))
        {
            return ToResponse(await poller.PollAsync(request.HttpContext.RequestAborted));
        }
    }

    /// <summary>200 with the counts when the poll ran (or email is off), 502 when the mail server or sign-in failed.</summary>
    internal static IActionResult ToResponse(EmailPollResult result) =>
        FunctionResults.Json(result.Error is null || result.IsDisabled ? 200 : 502, new
        {
            fetched = result.Fetched,
            accepted = result.Accepted,
            duplicates = result.Duplicates,
            skipped = result.Skipped,
            failed = result.Failed,
            error = result.Error,
            errorKind = result.ErrorKind?.ToString(),
        });
}
