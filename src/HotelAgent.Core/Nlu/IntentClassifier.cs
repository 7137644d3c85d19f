using System.Diagnostics;

namespace HotelAgent.Core.Nlu;

/// <summary>One labelled training or evaluation example.</summary>
public sealed record LabeledUtterance(string Text, string Intent);

/// <summary>
/// Multinomial logistic regression over hashed features of the normalized text: word unigrams, word bigrams
/// (with sentence boundaries) and character 3–5-grams (handles typos, voseo and slang). Trained with
/// deterministic SGD (fixed seed, fixed example order, fixed epochs) and L2 weight decay; outputs softmax
/// probabilities that are used as the confidence.
/// </summary>
public sealed class IntentClassifier
{
    private const int HashBits = 18;
    private const int FeatureCount = 1 << HashBits;
    private const int Epochs = 10;
    private const float InitialLearningRate = 1.0f;
    private const float L2 = 5e-5f;
    private const int Seed = 1121;

    private readonly string[] _labels;

    // The trained weights, sparse: training only ever changes the rows of features that occur in the corpus (a few
    // percent of the 2^18 hashed ids), every other row stays exactly 0. The dense matrix (2^18 × classes floats = 17 MiB
    // for 17 intents) is kept only while training; the model keeps the sorted ids of the non-zero rows and those rows
    // (issue 19, memory). A feature outside them contributed 0f to a score, and x + 0f == x, so predictions are
    // bit-identical to the dense model's.
    private readonly int[] _rowFeatures; // sorted ascending
    private readonly float[] _rows; // [rowIndex * classes + class]
    private readonly float[] _bias;

    private IntentClassifier(string[] labels, int[] rowFeatures, float[] rows, float[] bias, TimeSpan trainingTime, int exampleCount)
    {
        _labels = labels;
        _rowFeatures = rowFeatures;
        _rows = rows;
        _bias = bias;
        TrainingTime = trainingTime;
        ExampleCount = exampleCount;
    }

    public IReadOnlyList<string> Labels => _labels;

    public TimeSpan TrainingTime { get; }

    public int ExampleCount { get; }

    /// <summary>Trains a model; the same examples always give the same weights.</summary>
    public static IntentClassifier Train(IReadOnlyList<LabeledUtterance> examples, IReadOnlyList<string> labels) =>
        Train(examples, labels, denseWeights: null);

    /// <summary>As <see cref="Train(IReadOnlyList{LabeledUtterance}, IReadOnlyList{string})"/>; hands the dense matrix to <paramref name="denseWeights"/> (tests compare the sparse model with it).</summary>
    internal static IntentClassifier Train(IReadOnlyList<LabeledUtterance> examples, IReadOnlyList<string> labels, Action<float[], float[]>? denseWeights)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labels);
        var sw = Stopwatch.StartNew();
        var labelArray = labels.ToArray();
        var classes = labelArray.Length;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes; i++)
            index[labelArray[i]] = i;

        var feats = new (int[] Features, float Value, int Label)[examples.Count];
        var buffer = new List<int>(256);
        for (var i = 0; i < examples.Count; i++)
        {
            if (!index.TryGetValue(examples[i].Intent, out var y))
                throw new ArgumentException($"Unknown intent '{examples[i].Intent}' in training data.", nameof(examples));
            buffer.Clear();
            Featurize(TextNormalizer.Normalize(examples[i].Text), buffer);
            var f = buffer.ToArray();
            feats[i] = (f, f.Length == 0 ? 0f : 1f / MathF.Sqrt(f.Length), y);
        }

        var w = new float[FeatureCount * classes];
        var b = new float[classes];
        var order = Enumerable.Range(0, feats.Length).ToArray();
        var rng = new Random(Seed);
        var scores = new float[classes];
        var grad = new float[classes];
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            rng.Shuffle(order);
            var lr = InitialLearningRate / (1f + (0.5f * epoch));
            foreach (var i in order)
            {
                var (f, x, y) = feats[i];
                Scores(w, b, f, x, classes, scores);
                Softmax(scores);
                for (var c = 0; c < classes; c++)
                {
                    grad[c] = scores[c] - (c == y ? 1f : 0f);
                    b[c] -= lr * grad[c] * 0.1f;
                    grad[c] *= lr * x;
                }
                var decay = 1f - (lr * L2);
                foreach (var feature in f)
                {
                    var row = w.AsSpan(feature * classes, classes);
                    for (var c = 0; c < classes; c++)
                        row[c] = (row[c] * decay) - grad[c];
                }
            }
        }
        denseWeights?.Invoke(w, b);
        var (rowFeatures, rows) = Compact(w, classes);
        sw.Stop();
        return new IntentClassifier(labelArray, rowFeatures, rows, b, sw.Elapsed, examples.Count);
    }

    /// <summary>Number of hashed features with a non-zero weight row (the size of the sparse model).</summary>
    internal int NonZeroRows => _rowFeatures.Length;

    /// <summary>The non-zero rows of the dense matrix <paramref name="w"/>, with their feature ids in ascending order.</summary>
    private static (int[] Features, float[] Rows) Compact(float[] w, int classes)
    {
        var count = 0;
        for (var feature = 0; feature < FeatureCount; feature++)
        {
            if (w.AsSpan(feature * classes, classes).ContainsAnyExcept(0f))
                count++;
        }

        var features = new int[count];
        var rows = new float[count * classes];
        var next = 0;
        for (var feature = 0; feature < FeatureCount; feature++)
        {
            var row = w.AsSpan(feature * classes, classes);
            if (!row.ContainsAnyExcept(0f))
                continue;
            features[next] = feature;
            row.CopyTo(rows.AsSpan(next * classes, classes));
            next++;
        }

        return (features, rows);
    }

    /// <summary>Probabilities for every label, in <see cref="Labels"/> order.</summary>
    public double[] PredictProbabilities(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new List<int>(256);
        Featurize(TextNormalizer.Normalize(text), buffer);
        var f = buffer.ToArray();
        var scores = new float[_labels.Length];
        SparseScores(f, f.Length == 0 ? 0f : 1f / MathF.Sqrt(f.Length), scores);
        Softmax(scores);
        var result = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
            result[i] = scores[i];
        return result;
    }

    /// <summary>Probabilities from a dense weight matrix as the model computed them before it was made sparse (tests).</summary>
    internal static double[] DenseProbabilities(float[] w, float[] b, string text)
    {
        var buffer = new List<int>(256);
        Featurize(TextNormalizer.Normalize(text), buffer);
        var f = buffer.ToArray();
        var scores = new float[b.Length];
        Scores(w, b, f, f.Length == 0 ? 0f : 1f / MathF.Sqrt(f.Length), b.Length, scores);
        Softmax(scores);
        return scores.Select(s => (double)s).ToArray();
    }

    /// <summary>The labels with their probabilities, best first (ties broken by label order).</summary>
    public IReadOnlyList<IntentScore> Rank(string text)
    {
        var p = PredictProbabilities(text);
        var ranked = new IntentScore[p.Length];
        for (var i = 0; i < p.Length; i++)
            ranked[i] = new IntentScore(_labels[i], p[i]);
        Array.Sort(ranked, (a, b2) => b2.Confidence.CompareTo(a.Confidence));
        return ranked;
    }

    private static void Scores(float[] w, float[] b, int[] f, float x, int classes, float[] scores)
    {
        Array.Copy(b, scores, classes);
        foreach (var feature in f)
        {
            var row = feature * classes;
            for (var c = 0; c < classes; c++)
                scores[c] += w[row + c] * x;
        }
    }

    /// <summary><see cref="Scores"/> over the sparse rows: the same additions in the same order, minus the zero rows.</summary>
    private void SparseScores(int[] f, float x, float[] scores)
    {
        var classes = _labels.Length;
        Array.Copy(_bias, scores, classes);
        foreach (var feature in f)
        {
            var index = Array.BinarySearch(_rowFeatures, feature);
            if (index < 0)
                continue;
            var row = index * classes;
            for (var c = 0; c < classes; c++)
                scores[c] += _rows[row + c] * x;
        }
    }

    private static void Softmax(float[] scores)
    {
        var max = scores.Max();
        var sum = 0f;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = MathF.Exp(scores[i] - max);
            sum += scores[i];
        }
        for (var i = 0; i < scores.Length; i++)
            scores[i] /= sum;
    }

    /// <summary>Hashed feature ids of a normalized text (duplicates removed, sorted for stable order).</summary>
    internal static void Featurize(string normalized, List<int> features)
    {
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var prev = "<s>";
        foreach (var raw in words)
        {
            var word = MapWord(raw);
            features.Add(Hash(1, word, null));
            features.Add(Hash(2, prev, word));
            prev = word;
        }
        features.Add(Hash(2, prev, "</s>"));
        // dictionary cues shared with the entity extractors (generalize beyond the words seen in training)
        if (EntityExtractor.FindAmenities(words).Count > 0)
            features.Add(Hash(5, "amenity", null));
        if (EntityExtractor.FindRoomType(words) is not null)
            features.Add(Hash(5, "room", null));
        if (words.Length <= 2)
            features.Add(Hash(4, words.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), null));

        // character n-grams over " text " with digits folded to '0'
        Span<char> padded = stackalloc char[Math.Min(normalized.Length, 400) + 2];
        padded[0] = ' ';
        for (var i = 0; i < padded.Length - 2; i++)
        {
            var c = normalized[i];
            padded[i + 1] = char.IsAsciiDigit(c) ? '0' : c;
        }
        padded[^1] = ' ';
        for (var n = 3; n <= 5; n++)
        {
            for (var i = 0; i + n <= padded.Length; i++)
                features.Add(HashSpan(3 + n, padded.Slice(i, n)));
        }
        features.Sort();
        var write = 0;
        for (var i = 0; i < features.Count; i++)
        {
            if (write == 0 || features[i] != features[write - 1])
                features[write++] = features[i];
        }
        features.RemoveRange(write, features.Count - write);
    }

    private static string MapWord(string w)
    {
        foreach (var c in w)
        {
            if (char.IsAsciiDigit(c))
                return w.Length >= 5 ? "<code>" : "<num>";
        }
        return w;
    }

    private static int Hash(int kind, string a, string? b)
    {
        var h = 2166136261u ^ (uint)kind;
        h *= 16777619u;
        foreach (var c in a)
        {
            h ^= c;
            h *= 16777619u;
        }
        if (b is not null)
        {
            h ^= '|';
            h *= 16777619u;
            foreach (var c in b)
            {
                h ^= c;
                h *= 16777619u;
            }
        }
        return (int)(h & (FeatureCount - 1));
    }

    private static int HashSpan(int kind, ReadOnlySpan<char> s)
    {
        var h = 2166136261u ^ (uint)kind;
        h *= 16777619u;
        foreach (var c in s)
        {
            h ^= c;
            h *= 16777619u;
        }
        return (int)(h & (FeatureCount - 1));
    }
}
