using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace HotelAgent.Functions.Functions.WhatsApp;

/// <summary>
/// <c>GET /api/webhooks/whatsapp</c> (Meta's verification handshake) and <c>POST /api/webhooks/whatsapp</c>
/// (signed Cloud API notifications). Thin: verify, parse, hand messages to the inbound sink, answer fast.
/// </summary>
public sealed partial class WhatsAppWebhookFunction(
    IOptionsMonitor<WhatsAppOptions> options,
    IInboundMessageSink sink,
    ICustomerServiceWindow window,
    WhatsAppCloudClient client,
    ILogger<WhatsAppWebhookFunction> logger) : IHttpFunction
{
    public const string Name = "WhatsAppWebhook";

    public FunctionDefinition Definition { get; } = new(Name,
    [
        Binding.HttpTrigger("webhooks/whatsapp", "anonymous", "GET", "POST"),
        Binding.HttpOut(),
        Binding.DurableClient(),
        Binding.QueueOut("transcriptionJobs", "audio-transcribe"),
    ]);

    public async Task<FunctionHttpResponse> RunAsync(FunctionHttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == "GET" ? Verify(request) : await ReceiveAsync(request, cancellationToken);
    }

    private FunctionHttpResponse Verify(FunctionHttpRequest request)
    {
        var (ok, challenge) = WhatsAppVerification.Verify(
            request.QueryValue("hub.mode"), request.QueryValue("hub.verify_token"), request.QueryValue("hub.challenge"), options.CurrentValue.VerifyToken);
        if (!ok)
        {
            LogVerificationRejected(logger);
            return FunctionHttpResponse.Text(403, "Forbidden");
        }

        return FunctionHttpResponse.Text(200, challenge ?? string.Empty);
    }

    private async Task<FunctionHttpResponse> ReceiveAsync(FunctionHttpRequest request, CancellationToken cancellationToken)
    {
        if (!WhatsAppSignature.IsValid(request.Body.Span, request.Header("X-Hub-Signature-256"), options.CurrentValue.AppSecret))
        {
            LogSignatureRejected(logger, request.Header("X-Hub-Signature-256") is null ? "missing" : "mismatch", request.Body.Length);
            return FunctionHttpResponse.Problem(401, "Invalid signature", "X-Hub-Signature-256 is missing or does not match the body.");
        }

        WhatsAppWebhookBatch batch;
        try
        {
            batch = WhatsAppWebhookParser.Parse(request.BodyText);
        }
        catch (WhatsAppPayloadException ex)
        {
            LogPayloadRejected(logger, ex.Message);
            return FunctionHttpResponse.Problem(400, "Malformed webhook", ex.Message);
        }

        foreach (var reason in batch.Ignored)
        {
            LogIgnored(logger, reason);
        }

        foreach (var status in batch.Statuses)
        {
            LogStatus(logger, status.Status, status.MessageId);
        }

        foreach (var message in batch.Messages)
        {
            await window.RecordInboundAsync(message.GuestId, message.Timestamp, cancellationToken);
            await sink.AcceptAsync(message, cancellationToken);
            await TryMarkAsReadAsync(message.ProviderMessageId, cancellationToken);
        }

        return FunctionHttpResponse.Text(200, "EVENT_RECEIVED");
    }

    private async Task TryMarkAsReadAsync(string messageId, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.MarkAsRead)
        {
            return;
        }

        try
        {
            await client.MarkAsReadAsync(messageId, cancellationToken);
        }
        catch (Exception ex) when (ex is WhatsAppApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Read receipts are best effort: the guest's message is already safely in the conversation.
            LogMarkAsReadFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp mark-as-read failed: {Error}")]
    private static partial void LogMarkAsReadFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp verification rejected (mode or verify token mismatch)")]
    private static partial void LogVerificationRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected: signature {Reason} ({Bytes} bytes)")]
    private static partial void LogSignatureRejected(ILogger logger, string reason, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected as malformed: {Reason}")]
    private static partial void LogPayloadRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp webhook item ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp status {Status} for {MessageId}")]
    private static partial void LogStatus(ILogger logger, string status, string messageId);
}
