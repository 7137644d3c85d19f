using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Nlu;

/// <summary>Intent accuracy, per-intent precision/recall/F1, entity accuracy and confusions on labelled examples.</summary>
public static class NluEvaluator
{
    public static NluEvalReport Evaluate(INluEngine engine, IReadOnlyList<NluEvalExample> examples)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(examples);
        var tp = new Dictionary<string, int>(StringComparer.Ordinal);
        var fp = new Dictionary<string, int>(StringComparer.Ordinal);
        var fn = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<(string Text, string Expected, string Actual, double Confidence)>();
        var entityErrors = new List<(string Text, NluEntities Expected, NluEntities Actual)>();
        int correct = 0, entityCorrect = 0;
        foreach (var ex in examples)
        {
            var r = engine.Parse(ex.Text, ex.Today);
            if (r.Intent == ex.Intent)
            {
                correct++;
                Inc(tp, ex.Intent);
            }
            else
            {
                Inc(fp, r.Intent);
                Inc(fn, ex.Intent);
                errors.Add((ex.Text, ex.Intent, r.Intent, r.Confidence));
            }
            if (NluJson.ContractEntitiesEqual(ex.Entities, r.Entities))
                entityCorrect++;
            else
                entityErrors.Add((ex.Text, ex.Entities, r.Entities));
        }
        var labels = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var perIntent = labels.Select(l =>
        {
            var t = tp.GetValueOrDefault(l);
            var p = t + fp.GetValueOrDefault(l) == 0 ? 0 : (double)t / (t + fp.GetValueOrDefault(l));
            var rc = t + fn.GetValueOrDefault(l) == 0 ? 0 : (double)t / (t + fn.GetValueOrDefault(l));
            var f1 = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
            return new IntentMetrics(l, p, rc, f1, t + fn.GetValueOrDefault(l));
        }).ToArray();
        var n = Math.Max(1, examples.Count);
        return new NluEvalReport(examples.Count, (double)correct / n, perIntent.Length == 0 ? 0 : perIntent.Average(m => m.F1),
            (double)entityCorrect / n, perIntent, errors, entityErrors);
    }

    private static void Inc(Dictionary<string, int> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;
}

public sealed record IntentMetrics(string Intent, double Precision, double Recall, double F1, int Support);

public sealed record NluEvalReport(
    int Count,
    double IntentAccuracy,
    double MacroF1,
    double EntityAccuracy,
    IReadOnlyList<IntentMetrics> PerIntent,
    IReadOnlyList<(string Text, string Expected, string Actual, double Confidence)> Confusions,
    IReadOnlyList<(string Text, NluEntities Expected, NluEntities Actual)> EntityErrors)
{
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"examples: {Count}");
        sb.AppendLine(c, $"intent accuracy: {IntentAccuracy:F4}");
        sb.AppendLine(c, $"macro F1: {MacroF1:F4}");
        sb.AppendLine(c, $"entity accuracy: {EntityAccuracy:F4}");
        sb.AppendLine();
        sb.AppendLine(c, $"{"intent",-20} {"precision",9} {"recall",7} {"f1",6} {"n",4}");
        foreach (var m in PerIntent)
            sb.AppendLine(c, $"{m.Intent,-20} {m.Precision,9:F3} {m.Recall,7:F3} {m.F1,6:F3} {m.Support,4}");
        sb.AppendLine();
        sb.AppendLine(c, $"confusions ({Confusions.Count}): expected -> predicted (confidence) text");
        foreach (var (text, expected, actual, conf) in Confusions)
            sb.AppendLine(c, $"  {expected} -> {actual} ({conf:F2}) {text}");
        sb.AppendLine(c, $"entity errors ({EntityErrors.Count}):");
        foreach (var (text, expected, actual) in EntityErrors)
            sb.AppendLine(c, $"  {text}\n    expected {Describe(expected)}\n    actual   {Describe(actual)}");
        return sb.ToString();
    }

    private static string Describe(NluEntities e) =>
        string.Create(CultureInfo.InvariantCulture,
            $"in={e.CheckIn:yyyy-MM-dd} out={e.CheckOut:yyyy-MM-dd} guests={e.Guests} nights={e.Nights} room={e.RoomType} amenities=[{string.Join(",", e.Amenities)}]");
}
