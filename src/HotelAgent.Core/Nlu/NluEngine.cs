using System.Runtime;

namespace HotelAgent.Core.Nlu;

/// <summary>
/// The offline engine: the statistical intent classifier (trained once per process from the embedded corpus)
/// plus the rule-based entity extractors, language guess and sentiment. Thread-safe; cheap per call.
/// </summary>
public sealed class NluEngine : INluEngine
{
    private static readonly Lazy<IntentClassifier> SharedModel = new(TrainSharedModel, LazyThreadSafetyMode.ExecutionAndPublication);

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

    private static IntentClassifier TrainSharedModel()
    {
        var model = IntentClassifier.Train(NluCorpus.LoadTraining(), NluLabels.Intents);

        // Training's dense weight matrix (17 MiB) is garbage now, on the large object heap, which the GC does not compact:
        // its space stayed committed as LOH free space for the life of the process (issue 19, memory: +17 MiB resident
        // after 10,000 guest messages). One compacting full collection, once per process right after training (off the
        // request path, a few ms), gives it back to the OS.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return model;
    }

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
