using HotelAgent.Core.Observability;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Analytics;

/// <summary>One call per handled guest message: updates the metrics and writes the interaction log.</summary>
public interface IInteractionRecorder
{
    /// <summary>Never throws for storage failures (statistics must not break a guest reply); cancellation propagates.</summary>
    Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default);
}

/// <summary>
/// Maps an <see cref="InteractionRecord"/> to the HotelAgent metrics (messages, latency, confidence, bookings and
/// revenue, handoffs, duplicates, rate limits) and stores it in the <see cref="IInteractionLog"/>.
/// </summary>
public sealed partial class InteractionRecorder : IInteractionRecorder
{
    private readonly IInteractionLog _log;
    private readonly HotelAgentMetrics _metrics;
    private readonly ILogger<InteractionRecorder> _logger;

    public InteractionRecorder(IInteractionLog log, HotelAgentMetrics metrics, ILogger<InteractionRecorder> logger)
    {
        _log = log;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outcome = record.Outcome?.Trim().ToLowerInvariant() ?? string.Empty;
        switch (outcome)
        {
            case InteractionOutcomes.Duplicate:
                _metrics.RecordDuplicate(record.Channel);
                break;
            case InteractionOutcomes.RateLimited:
                _metrics.RecordMessageReceived(record.Channel, record.Intent);
                _metrics.RecordRateLimited(record.Channel);
                break;
            default:
                _metrics.RecordMessageReceived(record.Channel, record.Intent);
                _metrics.RecordReplyLatency(record.Channel, TimeSpan.FromMilliseconds(Math.Max(0, record.LatencyMs)));
                if (!string.IsNullOrWhiteSpace(record.Intent))
                {
                    _metrics.RecordNluConfidence(record.Confidence, record.Intent);
                }

                if (outcome == InteractionOutcomes.Booked)
                {
                    _metrics.RecordBooking(record.Channel, record.Revenue ?? 0m, record.Currency ?? string.Empty);
                }
                else if (outcome == InteractionOutcomes.Handoff)
                {
                    _metrics.RecordHandoff(record.Channel, record.Intent);
                }

                break;
        }

        try
        {
            await _log.RecordAsync(record, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Statistics are best effort: a broken analytics store must not fail the guest's reply.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RecordFailed(_logger, ex, record.ConversationId, outcome);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Interaction of {ConversationId} ({Outcome}) was not stored in the interaction log")]
        public static partial void RecordFailed(ILogger logger, Exception exception, string conversationId, string outcome);
    }
}
