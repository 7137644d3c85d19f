using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Fakes.Nlu;

/// <summary>Returns a fixed offline result (intent and confidence) for any text.</summary>
public sealed class FakeNluEngine(string intent, double confidence) : INluEngine
{
    public NluResult Parse(string text, DateOnly today) => new()
    {
        Text = text,
        Intent = intent,
        Confidence = confidence,
        Alternatives = [new IntentScore(intent, confidence), new IntentScore(NluLabels.OutOfScope, 1 - confidence)],
        Entities = EntityExtractor.Extract(text, today),
        Language = "es",
        Sentiment = 0,
    };
}

/// <summary>A scripted second opinion that records calls.</summary>
public sealed class FakeLlmIntentClassifier(Func<CancellationToken, Task<IntentScore?>> answer, bool enabled = true) : ILlmIntentClassifier
{
    public int Calls { get; private set; }

    public bool IsEnabled => enabled;

    public Task<IntentScore?> ClassifyAsync(string text, IReadOnlyList<IntentScore> offlineCandidates, CancellationToken cancellationToken)
    {
        Calls++;
        return answer(cancellationToken);
    }
}
