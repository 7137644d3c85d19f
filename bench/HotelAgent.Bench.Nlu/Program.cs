using System.Diagnostics;
using System.Globalization;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Bench.Nlu;

/// <summary>
/// NLU benchmark: training time, accuracy / macro-F1 / entity accuracy on both held-out sets, and single-threaded
/// per-utterance latency (p50/p99) and throughput. Usage: dotnet run -c Release --project bench/HotelAgent.Bench.Nlu [-- seconds]
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var c = CultureInfo.InvariantCulture;

        Console.WriteLine(string.Create(c, $"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} (wall-clock figures include time stolen by other processes; CPU figures do not)"));
        var sw = Stopwatch.StartNew();
        var cpu0 = ThreadCpuMicroseconds();
        var training = NluCorpus.LoadTraining();
        var model = IntentClassifier.Train(training, NluLabels.Intents);
        var cpu1 = ThreadCpuMicroseconds();
        sw.Stop();
        Console.WriteLine(string.Create(c, $"training: {training.Count} examples, wall {sw.ElapsedMilliseconds} ms, thread CPU {(cpu1 - cpu0) / 1000:F0} ms (corpus load + featurize + SGD)"));

        var engine = new NluEngine(model);
        foreach (var (name, set) in new[] { ("nlu-eval", NluCorpus.LoadEvaluation()), ("nlu-test", NluCorpus.LoadTest()) })
        {
            var report = NluEvaluator.Evaluate(engine, set);
            Console.WriteLine(string.Create(c, $"{name}: n={report.Count} intent accuracy={report.IntentAccuracy:F4} macro-F1={report.MacroF1:F4} entity accuracy={report.EntityAccuracy:F4}"));
        }

        // calibration: how often the intent is right in each confidence band (default thresholds)
        var options = new NluOptions();
        var held = NluCorpus.LoadEvaluation().Concat(NluCorpus.LoadTest()).ToArray();
        var byBand = held.Select(e => (e, r: engine.Parse(e.Text, e.Today))).GroupBy(x => options.Classify(x.r.Confidence)).OrderBy(g => g.Key);
        foreach (var g in byBand)
        {
            Console.WriteLine(string.Create(c,
                $"band {g.Key}: {g.Count()} utterances ({100.0 * g.Count() / held.Length:F1}%), intent accuracy {g.Count(x => x.r.Intent == x.e.Intent) / (double)g.Count():F3}, mean confidence {g.Average(x => x.r.Confidence):F3}"));
        }

        var texts = NluCorpus.LoadEvaluation().Concat(NluCorpus.LoadTest()).Select(e => (e.Text, e.Today)).ToArray();
        // warm-up (JIT, tiering)
        for (var i = 0; i < 3000; i++)
            engine.Parse(texts[i % texts.Length].Text, texts[i % texts.Length].Today);

        var wall = new List<double>(200_000);
        var cpu = new List<double>(200_000);
        var total = Stopwatch.StartNew();
        var k = 0;
        var ticksToUs = 1_000_000.0 / Stopwatch.Frequency;
        var cpuStart = ThreadCpuMicroseconds();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var (text, today) = texts[k++ % texts.Length];
            var c0 = ThreadCpuMicroseconds();
            var t0 = Stopwatch.GetTimestamp();
            engine.Parse(text, today);
            var t1 = Stopwatch.GetTimestamp();
            var c1 = ThreadCpuMicroseconds();
            wall.Add((t1 - t0) * ticksToUs);
            cpu.Add(c1 - c0);
        }
        var cpuTotal = ThreadCpuMicroseconds() - cpuStart;
        total.Stop();
        Report("latency wall-clock", wall, c);
        Report("latency thread-CPU", cpu, c);
        Console.WriteLine(string.Create(c, $"throughput: {wall.Count / total.Elapsed.TotalSeconds:F0} utterances/s wall-clock, {wall.Count / (cpuTotal / 1e6):F0} utterances per CPU-second (one core)"));
    }

    private static void Report(string name, List<double> samples, CultureInfo c)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)(q * samples.Count))];
        Console.WriteLine(string.Create(c,
            $"{name} (single thread, {samples.Count} parses): p50={P(0.50):F1} us p90={P(0.90):F1} us p99={P(0.99):F1} us max={samples[^1]:F1} us"));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time consumed by the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), in microseconds.</summary>
    private static double ThreadCpuMicroseconds()
    {
        if (!OperatingSystem.IsLinux())
            return Stopwatch.GetTimestamp() * 1_000_000.0 / Stopwatch.Frequency;
        ClockGetTime(3, out var ts);
        return (ts.Seconds * 1_000_000.0) + (ts.Nanoseconds / 1000.0);
    }
}
