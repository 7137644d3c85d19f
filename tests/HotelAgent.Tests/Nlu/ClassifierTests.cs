using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

public class ClassifierTests
{
    private static string Key(string text) => string.Join(' ',
        new string(text.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
        .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Training_corpus_is_large_and_covers_every_label()
    {
        var train = NluCorpus.LoadTraining();
        foreach (var intent in NluLabels.Intents)
            Assert.True(train.Count(t => t.Intent == intent) >= 200, intent);
        Assert.All(train, t => Assert.True(NluLabels.IsIntent(t.Intent), t.Intent));
    }

    [Fact]
    public void Held_out_sets_never_appear_in_training()
    {
        var train = NluCorpus.LoadTraining().Select(t => Key(t.Text)).ToHashSet(StringComparer.Ordinal);
        var heldOut = NluCorpus.LoadEvaluation().Concat(NluCorpus.LoadTest()).Concat(NluCorpus.LoadDev()).Concat(NluCorpus.LoadFrozen()).ToList();
        Assert.True(heldOut.Count >= 550);
        var overlap = heldOut.Where(e => train.Contains(Key(e.Text))).Select(e => e.Text).ToList();
        Assert.Empty(overlap);
        Assert.All(heldOut, e => Assert.True(NluLabels.IsIntent(e.Intent), e.Intent));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var data = NluCorpus.LoadTraining();
        var a = IntentClassifier.Train(data, NluLabels.Intents);
        var b = IntentClassifier.Train(data, NluLabels.Intents);
        foreach (var text in new[] { "hay pileta?", "quiero reservar la doble", "chau", "asdf qwer", "tenés lugar el finde?" })
            Assert.Equal(a.PredictProbabilities(text), b.PredictProbabilities(text));
    }

    [Fact]
    public void Probabilities_are_a_distribution_and_ranked()
    {
        var ranked = NluEngine.DefaultModel.Rank("cuánto sale la suite?");
        Assert.Equal(NluLabels.Intents.Count, ranked.Count);
        Assert.Equal(1.0, ranked.Sum(r => r.Confidence), 3);
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.Confidence >= p.Second.Confidence));
        Assert.Equal(NluLabels.AskPrice, ranked[0].Intent);
    }

    [Theory]
    [InlineData("tenés algo libre para el finde largo?", NluLabels.CheckAvailability)]
    [InlineData("resérvame la matrimonial del 10 al 12", NluLabels.MakeReservation)]
    [InlineData("hay pileta?", NluLabels.AskAmenities)]
    [InlineData("holaaaa 😊", NluLabels.Greeting)]
    [InlineData("quiero hablar con alguien ya", NluLabels.RequestHuman)]
    [InlineData("cancel my booking please", NluLabels.CancelReservation)]
    public void Typical_utterances(string text, string intent)
    {
        var r = new NluEngine().Parse(text, new DateOnly(2026, 11, 21));
        Assert.Equal(intent, r.Intent);
        Assert.Equal(3, r.Alternatives.Count);
        Assert.Equal(intent, r.Alternatives[0].Intent);
    }

    /// <summary>
    /// The model keeps only the weight rows training touched (issue 19, memory): a fraction of the 2^18 hashed features,
    /// with every probability bit-identical to the dense matrix's on all corpus splits.
    /// </summary>
    [Fact]
    public void Sparse_model_predicts_exactly_as_the_dense_matrix()
    {
        float[] dense = [];
        float[] bias = [];
        var model = IntentClassifier.Train(NluCorpus.LoadTraining(), NluLabels.Intents, (w, b) => (dense, bias) = (w.ToArray(), b.ToArray()));
        Assert.InRange(model.NonZeroRows, 1, (1 << 18) / 4);
        var texts = NluCorpus.LoadEvaluation().Concat(NluCorpus.LoadTest()).Concat(NluCorpus.LoadDev()).Concat(NluCorpus.LoadFrozen()).Select(e => e.Text)
            .Append("zzzz qqqq").Append("¿tienen parking? 12345");
        foreach (var text in texts)
            Assert.Equal(IntentClassifier.DenseProbabilities(dense, bias, text), model.PredictProbabilities(text));
    }

    [Fact]
    public void Empty_text_is_out_of_scope() => Assert.Equal(NluLabels.OutOfScope, new NluEngine().Parse("  ", new DateOnly(2026, 11, 21)).Intent);

    [Theory]
    [InlineData("eval", 0.95)]
    [InlineData("test", 0.95)]
    [InlineData("dev", 0.90)]
    public void Held_out_accuracy_gate(string set, double intentGate)
    {
        var examples = set switch { "eval" => NluCorpus.LoadEvaluation(), "test" => NluCorpus.LoadTest(), _ => NluCorpus.LoadDev() };
        var report = NluEvaluator.Evaluate(new NluEngine(), examples);
        Assert.True(report.IntentAccuracy >= intentGate, report.Format());
        Assert.True(report.EntityAccuracy >= 0.95, report.Format());
    }

    /// <summary>
    /// The frozen split (never tuned against) keeps the goal: entities ≥ 0.95, intents ≥ 0.93 (only its summary is
    /// printed here: its errors are not looked at while tuning).
    /// </summary>
    [Fact]
    public void Frozen_split_gate()
    {
        var report = NluEvaluator.Evaluate(new NluEngine(), NluCorpus.LoadFrozen());
        var summary = $"frozen: intent {report.IntentAccuracy:F4}, entities {report.EntityAccuracy:F4}";
        Assert.True(report.Count >= 180, summary);
        Assert.True(report.EntityAccuracy >= 0.95, summary);
        Assert.True(report.IntentAccuracy >= 0.93, summary);
    }

    [Theory]
    [InlineData("pésimo servicio", -0.5)]
    [InlineData("es una vergüenza", -0.5)]
    [InlineData("sos un inútil, pasame con alguien", -0.5)]
    public void Strong_negative_sentiment(string text, double atMost) =>
        Assert.True(new NluEngine().Parse(text, new DateOnly(2026, 11, 21)).Sentiment <= atMost);

    [Fact]
    public void Urgency_is_negative_and_thanks_positive()
    {
        var engine = new NluEngine();
        Assert.True(engine.Parse("quiero hablar con alguien ya", new DateOnly(2026, 11, 21)).Sentiment < 0);
        Assert.True(engine.Parse("muchas gracias, excelente atención 😊", new DateOnly(2026, 11, 21)).Sentiment > 0.5);
        Assert.Equal(0, engine.Parse("tienen cochera?", new DateOnly(2026, 11, 21)).Sentiment);
    }

    [Theory]
    [InlineData("hello, do you have a room for tonight?", "en")]
    [InlineData("hola, tienen lugar?", "es")]
    [InlineData("quiero reservar", "es")]
    [InlineData("cancel my booking", "en")]
    public void Language(string text, string lang) => Assert.Equal(lang, new NluEngine().Parse(text, new DateOnly(2026, 11, 21)).Language);

    [Theory]
    [InlineData("Holaaaa!!!", "hola")]
    [InlineData("¿Tenés LUGAR?", "? tenes lugar ?")]
    [InlineData("del 10/12 al 15-12", "del 10/12 al 15-12")]
    [InlineData("ok 👍", "ok emo_ok")]
    public void Normalization(string text, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(text));
}

public class RobustnessTests
{
    public static TheoryData<string> OddInputs() => new()
    {
        "",
        "   ",
        "😀😀😀",
        "?!?!",
        new string('a', 20_000),
        string.Join(' ', Enumerable.Repeat("del 10 al 15 hay pileta para 2", 500)),
        "\0\u0001\u200b",
        "مرحبا",
        "你好",
        "1/1/1/1/1",
        "9999-99-99",
        "el 32 de diciembre",
        "a nombre de",
        "HA-",
    };

    [Theory]
    [MemberData(nameof(OddInputs))]
    public void Never_throws_and_returns_a_valid_label(string text)
    {
        var r = new NluEngine().Parse(text, new DateOnly(2026, 11, 21));
        Assert.True(NluLabels.IsIntent(r.Intent));
        Assert.InRange(r.Confidence, 0, 1);
        Assert.InRange(r.Sentiment, -1, 1);
    }

    [Fact]
    public void Parallel_parses_agree_with_sequential()
    {
        var engine = new NluEngine();
        var texts = NluCorpus.LoadEvaluation().Select(e => e.Text).ToArray();
        var sequential = texts.Select(t => engine.Parse(t, new DateOnly(2026, 11, 21)).Intent).ToArray();
        var parallel = new string[texts.Length];
        Parallel.For(0, texts.Length, i => parallel[i] = engine.Parse(texts[i], new DateOnly(2026, 11, 21)).Intent);
        Assert.Equal(sequential, parallel);
    }
}
