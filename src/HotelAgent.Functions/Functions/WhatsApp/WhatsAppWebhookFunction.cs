using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Security;
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
    WhatsAppInboundProcessor processor,
    ILogger<WhatsAppWebhookFunction> logger) : ISignedBodyFunction
{
    public const string Name = "WhatsAppWebhook";

    public FunctionDefinition Definition { get; } = new(Name,
    [
        Binding.HttpTrigger("webhooks/whatsapp", "anonymous", "GET", "POST"),
        Binding.HttpOut(),
        Binding.DurableClient(),
        Binding.QueueOut("transcriptionJobs", "audio-transcribe"),
    ]);

    public string SignatureHeader => WhatsAppSignature.HeaderName;

    public async Task<SignedBody> ReadSignedBodyAsync(Stream body, long? declaredLength, string? signatureHeader, CancellationToken cancellationToken)
    {
        var read = await WhatsAppSignature.ReadVerifiedAsync(
            body, declaredLength, signatureHeader, options.CurrentValue.AppSecret, InputLimits.MaxWebhookBodyBytes, cancellationToken);
        if (read.Status != SignedBodyStatus.Verified)
        {
            LogSignatureRejected(logger, read.Status.ToString(), (int)Math.Min(declaredLength ?? -1, int.MaxValue));
        }

        return read;
    }

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
        if (request.Body.Length > InputLimits.MaxWebhookBodyBytes)
        {
            LogSignatureRejected(logger, "too large", request.Body.Length);
            return FunctionHttpResponse.Problem(413, "Payload too large", $"Webhook bodies are limited to {InputLimits.MaxWebhookBodyBytes} bytes.");
        }

        if (!WhatsAppSignature.IsValid(request.Body.Span, request.Header("X-Hub-Signature-256"), options.CurrentValue.AppSecret))
        {
            LogSignatureRejected(logger, request.Header("X-Hub-Signature-256") is null ? "signature missing" : "signature mismatch", request.Body.Length);
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

        // Inline, not fire-and-forget: starting or raising the guest's orchestration takes milliseconds, and a
        // failure answers 500 so Meta redelivers (the inbound gate forgets the id first) instead of losing the message.
        var result = await processor.ProcessAsync(batch, cancellationToken);

        LogBatch(logger, result.Accepted, result.Duplicates, result.RateLimited, result.Statuses, result.Ignored);
        return FunctionHttpResponse.Text(200, "EVENT_RECEIVED");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp verification rejected (mode or verify token mismatch)")]
    private static partial void LogVerificationRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected: {Reason} ({Bytes} bytes)")]
    private static partial void LogSignatureRejected(ILogger logger, string reason, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp webhook rejected as malformed: {Reason}")]
    private static partial void LogPayloadRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp webhook: {Accepted} accepted, {Duplicates} duplicates, {Limited} rate limited, {Statuses} statuses, {Ignored} ignored")]
    private static partial void LogBatch(ILogger logger, int accepted, int duplicates, int limited, int statuses, int ignored);
}
