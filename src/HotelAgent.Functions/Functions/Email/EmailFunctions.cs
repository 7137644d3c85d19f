using HotelAgent.Core.Channels.Email;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Email;

/// <summary>Timer trigger (<c>%Email__PollSchedule%</c>, default every 2 minutes): one IMAP poll of the hotel mailbox.</summary>
public sealed class EmailPollFunction(EmailPoller poller) : ITimerFunction
{
    public const string ScheduleSetting = "Email__PollSchedule";

    public FunctionDefinition Definition { get; } = new("EmailPoll", [Binding.TimerTrigger($"%{ScheduleSetting}%"), Binding.DurableClient()]);

    /// <summary>The poller logs its own outcome (counts and any error); nothing is thrown for mail-server errors.</summary>
    public Task RunAsync(FunctionContext context, CancellationToken cancellationToken) => poller.PollAsync(cancellationToken);
}

/// <summary><c>POST /api/webhooks/email</c>: one poll on demand; authenticated like the staff API.</summary>
public sealed class EmailWebhookFunction(EmailPoller poller) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("EmailWebhook", [Binding.HttpTrigger("webhooks/email", "function", "POST"), Binding.HttpOut(), Binding.DurableClient()]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        ToResponse(await poller.PollAsync(cancellationToken));

    /// <summary>200 with the counts when the poll ran (or email is off), 502 when the mail server or sign-in failed.</summary>
    internal static FunctionHttpResponse ToResponse(EmailPollResult result) =>
        FunctionHttpResponse.Json(result.Error is null || result.IsDisabled ? 200 : 502, new
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
