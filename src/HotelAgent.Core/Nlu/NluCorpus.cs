using System.Text.Json;

namespace HotelAgent.Core.Nlu;

/// <summary>The corpora shipped as embedded resources (Data/nlu-train.jsonl and the held-out Data/nlu-eval.jsonl).</summary>
public static class NluCorpus
{
    public const string TrainResource = "HotelAgent.Core.Nlu.Data.nlu-train.jsonl";
    public const string EvalResource = "HotelAgent.Core.Nlu.Data.nlu-eval.jsonl";
    public const string TestResource = "HotelAgent.Core.Nlu.Data.nlu-test.jsonl";
    public const string DevResource = "HotelAgent.Core.Nlu.Data.nlu-dev.jsonl";
    public const string FrozenResource = "HotelAgent.Core.Nlu.Data.nlu-frozen.jsonl";

    /// <summary>The default reference date of the held-out set (lines may override it with "today").</summary>
    public static DateOnly EvalDefaultToday { get; } = new(2026, 11, 21);

    public static IReadOnlyList<LabeledUtterance> LoadTraining()
    {
        using var stream = Open(TrainResource);
        return ReadJsonl(stream, EvalDefaultToday).Select(e => new LabeledUtterance(e.Text, e.Intent)).ToArray();
    }

    public static IReadOnlyList<NluEvalExample> LoadEvaluation()
    {
        using var stream = Open(EvalResource);
        return ReadJsonl(stream, EvalDefaultToday);
    }

    /// <summary>The second held-out set, written after the model was tuned on the first one.</summary>
    public static IReadOnlyList<NluEvalExample> LoadTest()
    {
        using var stream = Open(TestResource);
        return ReadJsonl(stream, EvalDefaultToday);
    }

    /// <summary>Utterances written for issue 13 (corrections, partial dates, group sizes, room changes...) and tuned against.</summary>
    public static IReadOnlyList<NluEvalExample> LoadDev()
    {
        using var stream = Open(DevResource);
        return ReadJsonl(stream, EvalDefaultToday);
    }

    /// <summary>
    /// The frozen split: written before any tuning for issue 13 and never used to tune since (only its summary figures were
    /// read). It is the honest estimate of accuracy on unseen phrasings.
    /// </summary>
    public static IReadOnlyList<NluEvalExample> LoadFrozen()
    {
        using var stream = Open(FrozenResource);
        return ReadJsonl(stream, EvalDefaultToday);
    }

    /// <summary>The splits that were used while tuning (eval, test, dev), by name.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<NluEvalExample> Examples)> LoadTuned() =>
        [("nlu-eval", LoadEvaluation()), ("nlu-test", LoadTest()), ("nlu-dev", LoadDev())];

    /// <summary>Reads {"text","intent","entities":{...},"today"?} lines; blank lines and lines starting with '#' or '//' are skipped.</summary>
    public static IReadOnlyList<NluEvalExample> ReadJsonl(Stream stream, DateOnly defaultToday)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return ReadJsonl(reader, defaultToday);
    }

    public static IReadOnlyList<NluEvalExample> ReadJsonl(TextReader reader, DateOnly defaultToday)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var list = new List<NluEvalExample>();
        string? line;
        var lineNo = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("//", StringComparison.Ordinal))
                continue;
            using var doc = JsonDocument.Parse(trimmed);
            var root = doc.RootElement;
            var text = root.GetProperty("text").GetString() ?? throw new FormatException($"line {lineNo}: text is null");
            var intent = root.GetProperty("intent").GetString() ?? throw new FormatException($"line {lineNo}: intent is null");
            var today = root.TryGetProperty("today", out var t) && t.ValueKind == JsonValueKind.String
                ? DateOnly.ParseExact(t.GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                : defaultToday;
            NluEntities? entities = null;
            if (root.TryGetProperty("entities", out var e) && e.ValueKind == JsonValueKind.Object)
                entities = NluJson.ReadEntities(e);
            list.Add(new NluEvalExample(text, intent, entities ?? NluEntities.Empty, today, entities is not null));
        }
        return list;
    }

    private static Stream Open(string name) =>
        typeof(NluCorpus).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
}

/// <summary>One held-out example with its gold entities.</summary>
public sealed record NluEvalExample(string Text, string Intent, NluEntities Entities, DateOnly Today, bool HasEntities);
