namespace HotelAgent.Core.Nlu;

/// <summary>
/// The offline engine: the statistical intent classifier (trained once per process from the embedded corpus)
/// plus the rule-based entity extractors, language guess and sentiment. Thread-safe; cheap per call.
/// </summary>
public sealed class NluEngine : INluEngine
{
    private static readonly Lazy<IntentClassifier> SharedModel =
        new(() => IntentClassifier.Train(NluCorpus.LoadTraining(), NluLabels.Intents), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IntentClassifier _classifier;

    /// <summary>Uses the process-wide model trained from the shipped corpus (trained on first use).</summary>
    public NluEngine()
        : this(SharedModel.Value)
    {
    }

    public NluEngine(IntentClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        _classifier = classifier;
    }

    /// <summary>The process-wide model trained from the shipped corpus.</summary>
    public static IntentClassifier DefaultModel => SharedModel.Value;

    public IntentClassifier Classifier => _classifier;

    public NluResult Parse(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        var tokens = normalized.Length == 0 ? [] : normalized.Split(' ');
        var language = TextSignals.DetectLanguage(text, tokens);
        var entities = EntityExtractor.Extract(text, tokens, language == "en", today);
        IReadOnlyList<IntentScore> ranked = tokens.Length == 0
            ? [new IntentScore(NluLabels.OutOfScope, 1.0)]
            : _classifier.Rank(text);
        var top = ranked[0];
        if (top.Intent == NluLabels.AskRoomTypes && entities.RoomType is null && entities.Amenities.Count > 0
            && ranked.Take(3).FirstOrDefault(r => r.Intent == NluLabels.AskAmenities) is { } amenities)
        {
            // "¿tienen wifi gratis en las habitaciones?": an amenity asked about rooms in general is an amenity question
            ranked = [amenities, top, .. ranked.Where(r => r.Intent is not (NluLabels.AskAmenities or NluLabels.AskRoomTypes))];
            top = ranked[0];
        }

        return new NluResult
        {
            Text = text,
            Intent = top.Intent,
            Confidence = Math.Round(top.Confidence, 4),
            Alternatives = ranked.Take(3).Select(s => s with { Confidence = Math.Round(s.Confidence, 4) }).ToArray(),
            Entities = entities,
            Language = language,
            Sentiment = TextSignals.Sentiment(text, tokens),
        };
    }
}
