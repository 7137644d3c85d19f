using System.CommandLine;
using System.Globalization;
using System.Text;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Cli.Commands;

/// <summary><c>nlu parse</c> (stdin lines → JSON lines) and <c>nlu eval FILE.jsonl</c> (accuracy report).</summary>
public static class NluCommands
{
    /// <summary>Builds the <c>nlu</c> command. <paramref name="input"/> supplies stdin (tests pass a StringReader).</summary>
    public static Command Create(Func<TextReader>? input = null, INluEngine? engine = null)
    {
        var inputFactory = input ?? (() => new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)));
        var engineFactory = new Lazy<INluEngine>(() => engine ?? new NluEngine());

        var todayOption = new Option<string?>("--today") { Description = "Reference date YYYY-MM-DD for relative dates (default: today, local)." };
        var parse = new Command("parse", "Read UTF-8 lines on stdin; write one JSON object per line.");
        parse.Options.Add(todayOption);
        parse.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            if (!TryToday(result.GetValue(todayOption), out var today))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("--today must be YYYY-MM-DD");
                return 2;
            }
            using var reader = inputFactory();
            await ParseAsync(engineFactory.Value, reader, output, today, ct);
            return 0;
        });

        var fileArgument = new Argument<FileInfo?>("file")
        {
            Description = "JSONL with {\"text\",\"intent\",\"entities\"?,\"today\"?} per line. Without it: the shipped tuned splits and the frozen split.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var evalToday = new Option<string?>("--today") { Description = "Default reference date for lines without \"today\" (default 2026-11-21, the held-out set's)." };
        var eval = new Command("eval", "Evaluate intents and entities on a labelled JSONL file.");
        eval.Arguments.Add(fileArgument);
        eval.Options.Add(evalToday);
        eval.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var file = result.GetValue(fileArgument);
            if (file is null)
            {
                await output.WriteAsync(ShippedSplitsReport(engineFactory.Value));
                return 0;
            }

            if (!TryToday(result.GetValue(evalToday) ?? NluCorpus.EvalDefaultToday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), out var today))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("--today must be YYYY-MM-DD");
                return 2;
            }
            if (!file.Exists)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"File not found: {file.FullName}");
                return 2;
            }
            IReadOnlyList<NluEvalExample> examples;
            using (var reader = new StreamReader(file.FullName, Encoding.UTF8))
                examples = NluCorpus.ReadJsonl(reader, today);
            var report = NluEvaluator.Evaluate(engineFactory.Value, examples);
            await output.WriteAsync(report.Format());
            return 0;
        });

        var guard = new Command("spelling-guard",
            "Read words on stdin (a dictionary's word forms, one per line); write the ones the spelling corrector would change, "
            + "with the correction: the list of protected words (src/HotelAgent.Core/Nlu/Data/spelling-protected.txt).");
        guard.SetAction(async (result, ct) =>
        {
            using var reader = inputFactory();
            await SpellingGuardAsync(reader, result.InvocationConfiguration.Output, ct);
            return 0;
        });

        var nlu = new Command("nlu", "Language understanding: intents and entities.");
        nlu.Subcommands.Add(parse);
        nlu.Subcommands.Add(eval);
        nlu.Subcommands.Add(guard);
        return nlu;
    }

    /// <summary>
    /// The figures of the shipped splits: the TUNED ones (looked at while improving the NLU: their numbers are optimistic) and
    /// the FROZEN one (written before tuning, never tuned against: the honest estimate). Errors are listed for tuned splits only.
    /// </summary>
    public static string ShippedSplitsReport(INluEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var tuned = NluCorpus.LoadTuned();
        var all = tuned.SelectMany(s => s.Examples).ToArray();
        sb.AppendLine("== TUNED splits (used while tuning; optimistic) ==");
        foreach (var (name, examples) in tuned)
        {
            var r = NluEvaluator.Evaluate(engine, examples);
            sb.AppendLine(c, $"{name,-12} n={r.Count,4}  intent accuracy {r.IntentAccuracy:F4}  macro F1 {r.MacroF1:F4}  entity accuracy {r.EntityAccuracy:F4}");
        }
        var combined = NluEvaluator.Evaluate(engine, all);
        sb.AppendLine(c, $"{"tuned (all)",-12} n={combined.Count,4}  intent accuracy {combined.IntentAccuracy:F4}  macro F1 {combined.MacroF1:F4}  entity accuracy {combined.EntityAccuracy:F4}");
        var frozen = NluEvaluator.Evaluate(engine, NluCorpus.LoadFrozen());
        sb.AppendLine();
        sb.AppendLine("== FROZEN split (nlu-frozen: never tuned against; the honest estimate) ==");
        sb.AppendLine(c, $"{"nlu-frozen",-12} n={frozen.Count,4}  intent accuracy {frozen.IntentAccuracy:F4}  macro F1 {frozen.MacroF1:F4}  entity accuracy {frozen.EntityAccuracy:F4}");
        sb.AppendLine();
        sb.AppendLine("== tuned splits: details ==");
        sb.Append(combined.Format());
        return sb.ToString();
    }

    /// <summary>The words of <paramref name="input"/> the spelling corrector would change, sorted, as "word correction" lines.</summary>
    public static async Task SpellingGuardAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var words = new List<string>();
        string? line;
        while ((line = await input.ReadLineAsync(cancellationToken)) is not null)
            words.Add(line);
        foreach (var (word, correction) in SpellingNormalizer.Collisions(words).OrderBy(c => c.Word, StringComparer.Ordinal))
            await output.WriteLineAsync($"{word} {correction}");
        await output.FlushAsync(cancellationToken);
    }

    public static async Task ParseAsync(INluEngine engine, TextReader input, TextWriter output, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        string? line;
        while ((line = await input.ReadLineAsync(cancellationToken)) is not null)
        {
            if (line.Length == 0)
                continue;
            await output.WriteLineAsync(NluJson.ToJsonLine(engine.Parse(line, today)));
        }
        await output.FlushAsync(cancellationToken);
    }

    private static bool TryToday(string? value, out DateOnly today)
    {
        if (string.IsNullOrEmpty(value))
        {
            today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
            return true;
        }
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out today);
    }
}
