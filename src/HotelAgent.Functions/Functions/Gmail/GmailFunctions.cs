using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;

namespace HotelAgent.Functions.Functions.Gmail;

/// <summary>Timer trigger (<c>%Gmail__PollSchedule%</c>, default every 2 minutes): one poll of the hotel inbox.</summary>
public sealed partial class GmailPollFunction(GmailInboxPoller poller, ILogger<GmailPollFunction> logger) : ITimerFunction
{
    public const string ScheduleSetting = "Gmail__PollSchedule";

    public FunctionDefinition Definition { get; } = new("GmailPoll", [Binding.TimerTrigger($"%{ScheduleSetting}%"), Binding.DurableClient()]);

    public async Task RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var result = await poller.PollOnceAsync(cancellationToken);
        LogPoll(logger, result.Fetched, result.Accepted, result.Skipped, result.Failed, result.Error ?? "none");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gmail poll: {Fetched} fetched, {Accepted} accepted, {Skipped} skipped, {Failed} failed (error: {Error})")]
    private static partial void LogPoll(ILogger logger, int fetched, int accepted, int skipped, int failed, string error);
}

/// <summary><c>POST /api/webhooks/gmail</c>: triggers one poll on demand; authenticated like the staff API.</summary>
public sealed class GmailWebhookFunction(GmailInboxPoller poller) : IHttpFunction
{
    public FunctionDefinition Definition { get; } = new("GmailWebhook", [Binding.HttpTrigger("webhooks/gmail", "function", "POST"), Binding.HttpOut(), Binding.DurableClient()]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        var result = await poller.PollOnceAsync(cancellationToken);
        var status = result.Error is null || ReferenceEquals(result, GmailPollResult.Disabled) ? 200 : 502;
        return FunctionHttpResponse.Json(status, new
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
