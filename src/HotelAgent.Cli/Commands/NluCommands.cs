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

        var fileArgument = new Argument<FileInfo>("file") { Description = "JSONL with {\"text\",\"intent\",\"entities\"?,\"today\"?} per line." };
        var evalToday = new Option<string?>("--today") { Description = "Default reference date for lines without \"today\" (default 2026-11-21, the held-out set's)." };
        var eval = new Command("eval", "Evaluate intents and entities on a labelled JSONL file.");
        eval.Arguments.Add(fileArgument);
        eval.Options.Add(evalToday);
        eval.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var file = result.GetValue(fileArgument)!;
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

        var nlu = new Command("nlu", "Language understanding: intents and entities.");
        nlu.Subcommands.Add(parse);
        nlu.Subcommands.Add(eval);
        return nlu;
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
