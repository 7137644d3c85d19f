using System.Text;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HotelAgent.Functions.Functions.WhatsApp;

/// <summary>
/// <c>GET /api/webhooks/whatsapp</c> (Meta's verification handshake) and <c>POST /api/webhooks/whatsapp</c>
/// (signed Cloud API notifications, at most 1 MiB: 413 above, 401 unsigned). Thin: verify while reading, parse, hand messages to the inbound sink, answer fast. Voice notes
/// leave through the <c>audio-transcribe</c> queue output.
/// </summary>
public sealed partial class WhatsAppWebhookFunction(
    IOptionsMonitor<WhatsAppOptions> options,
    WhatsAppInboundProcessor processor,
    ILogger<WhatsAppWebhookFunction> logger)
{
    public const string Name = "WhatsAppWebhook";

    [Function(Name)]
    public async Task<WhatsAppWebhookOutput> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "webhooks/whatsapp")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            return new WhatsAppWebhookOutput { Result = Verify(request) };
        }

        using var queues = QueueOutputs.Begin(AudioQueues.Transcribe);
        using (DurableClientAccessor.Use(client))
        {
            var result = await ReceiveAsync(request, request.HttpContext.RequestAborted);
            return new WhatsAppWebhookOutput { Result = result, TranscriptionJobs = queues.For(AudioQueues.Transcribe) };
        }
    }

    private IActionResult Verify(HttpRequest request)
    {
        var (ok, challenge) = WhatsAppVerification.Verify(
            request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"], options.CurrentValue.VerifyToken);
        if (!ok)
        {
            LogVerificationRejected(logger);
            return FunctionResults.Text(403, "Forbidden");
        }

        return FunctionResults.Text(200, challenge ?? string.Empty);
    }

    private async Task<IActionResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The body is read here, under the Functions host as standalone (no middleware of ours runs under the host): a missing
        // signature is refused before any byte is read, reading stops at the cap, and the HMAC is computed while streaming.
        string? signature = request.Headers[WhatsAppSignature.HeaderName];
        var read = await WhatsAppSignature.ReadVerifiedAsync(
            request.Body, request.ContentLength, signature, options.CurrentValue.AppSecret, InputLimits.MaxWebhookBodyBytes, cancellationToken);
        switch (read.Status)
        {
            case SignedBodyStatus.TooLarge:
                LogSignatureRejected(logger, "too large", request.ContentLength ?? -1);
                return FunctionResults.Problem(413, "Payload too large", $"Webhook bodies are limited to {InputLimits.MaxWebhookBodyBytes} bytes.");
            case SignedBodyStatus.MissingSignature:
            case SignedBodyStatus.Mismatch:
                LogSignatureRejected(logger, read.Status == SignedBodyStatus.MissingSignature ? "signature missing" : "signature mismatch", request.ContentLength ?? -1);
                return FunctionResults.Problem(401, "Invalid signature", $"{WhatsAppSignature.HeaderName} is missing or does not match the body.");
        }

        var body = read.Body;

        WhatsAppWebhookBatch batch;
        try
        {
            batch = WhatsAppWebhookParser.Parse(Encoding.UTF8.GetString(body));
        }
        catch (WhatsAppPayloadException ex)
        {
            LogPayloadRejected(logger, ex.Message);
            return FunctionResults.Problem(400, "Malformed webhook", ex.Message);
        }

        // Inline, not fire-and-forget: starting or raising the guest's orchestration takes milliseconds, and a
        // failure answers 500 so Meta redelivers (the inbound gate forgets the id first) instead of losing the message.
        var result = await processor.ProcessAsync(batch, cancellationToken);

        // Every accepted message already logs its hand-off and every request its status: a batch with nothing else to
        // report (the common case, and statuses-only batches, three per reply sent) stays at Debug.
        if (result.Duplicates + result.RateLimited + result.Ignored > 0)
        {
            LogBatch(logger, result.Accepted, result.Duplicates, result.RateLimited, result.Statuses, result.Ignored);
        }
        else
        {
            LogBatchRoutine(logger, result.Accepted, result.Statuses);
        }
        return FunctionResults.Text(200, "EVENT_RECEIVED");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp verification rejected (mode or verify token mismatch)")]
    private static partial void LogVerificationRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected: {Reason} ({Bytes} bytes)")]
    private static partial void LogSignatureRejected(ILogger logger, string reason, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected as malformed: {Reason}")]
    private static partial void LogPayloadRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp webhook: {Accepted} accepted, {Duplicates} duplicates, {Limited} rate limited, {Statuses} statuses, {Ignored} ignored")]
    private static partial void LogBatch(ILogger logger, int accepted, int duplicates, int limited, int statuses, int ignored);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WhatsApp webhook: {Accepted} accepted, {Statuses} statuses")]
    private static partial void LogBatchRoutine(ILogger logger, int accepted, int statuses);
}

/// <summary>The webhook's answer plus the transcription jobs of its voice notes (a queue output binding).</summary>
public sealed class WhatsAppWebhookOutput
{
    [HttpResult]
    public required IActionResult Result { get; init; }

    [QueueOutput(AudioQueues.Transcribe, Connection = "AzureWebJobsStorage")]
    public string[]? TranscriptionJobs { get; init; }
}
