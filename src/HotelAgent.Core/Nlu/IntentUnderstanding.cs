using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Nlu;

/// <summary>What the dialog calls: offline NLU, plus the LLM second opinion when the offline model is unsure.</summary>
public interface IIntentUnderstanding
{
    Task<NluResult> UnderstandAsync(string text, DateOnly today, CancellationToken cancellationToken);

    /// <summary>
    /// The final understanding when it needs no remote call (the offline model is sure, or no LLM is configured):
    /// cheap and synchronous, so callers may run it on a hot path. False means "call <see cref="UnderstandAsync"/>".
    /// </summary>
    bool TryUnderstandOffline(string text, DateOnly today, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NluResult? result)
    {
        result = null;
        return false;
    }
}

/// <summary>
/// Composes <see cref="INluEngine"/> and <see cref="ILlmIntentClassifier"/>: the LLM is consulted only when the
/// offline confidence is below <see cref="NluOptions.ActThreshold"/> and the LLM is enabled; its label must be
/// one of <see cref="NluLabels.Intents"/>; any failure or timeout keeps the offline result. Entities always come
/// from the offline extractors.
/// </summary>
public sealed class IntentUnderstanding : IIntentUnderstanding
{
    private readonly INluEngine _engine;
    private readonly ILlmIntentClassifier _llm;
    private readonly NluOptions _options;
    private readonly ILogger<IntentUnderstanding> _logger;

    public IntentUnderstanding(INluEngine engine, ILlmIntentClassifier llm, IOptions<NluOptions> options, ILogger<IntentUnderstanding>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(llm);
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _llm = llm;
        _options = options.Value;
        _logger = logger ?? NullLogger<IntentUnderstanding>.Instance;
    }

    public NluOptions Options => _options;

    public bool TryUnderstandOffline(string text, DateOnly today, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NluResult? result)
    {
        var offline = _engine.Parse(text, today);
        var final = offline.Confidence >= _options.ActThreshold || !_llm.IsEnabled || string.IsNullOrWhiteSpace(text);
        result = final ? offline : null;
        return final;
    }

    public async Task<NluResult> UnderstandAsync(string text, DateOnly today, CancellationToken cancellationToken)
    {
        var offline = _engine.Parse(text, today);
        if (offline.Confidence >= _options.ActThreshold || !_llm.IsEnabled || string.IsNullOrWhiteSpace(text))
            return offline;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.LlmTimeoutSeconds));
        IntentScore? answer;
        try
        {
            answer = await _llm.ClassifyAsync(text, offline.Alternatives, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.LlmTimedOut(_logger, _options.LlmTimeoutSeconds);
            return offline;
        }
#pragma warning disable CA1031 // any LLM failure must fall back to the offline result
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.LlmFailed(_logger, ex);
            return offline;
        }
        if (answer is null)
            return offline;
        if (!NluLabels.IsIntent(answer.Intent))
        {
            Log.LlmInvalidLabel(_logger, answer.Intent.Length > 40 ? answer.Intent[..40] : answer.Intent);
            return offline;
        }
        Log.LlmOpinion(_logger, offline.Intent, offline.Confidence, answer.Intent, answer.Confidence);
        var alternatives = new List<IntentScore> { answer };
        alternatives.AddRange(offline.Alternatives.Where(a => a.Intent != answer.Intent));
        return offline with
        {
            Intent = answer.Intent,
            Confidence = Math.Round(answer.Confidence, 4),
            Alternatives = alternatives.Take(3).ToArray(),
            Source = "llm",
        };
    }
}
