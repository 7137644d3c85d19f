using System.CommandLine;
using System.Text.Json;
using HotelAgent.Cli.Commands;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

public class NluCommandsTests
{
    private static async Task<(int Code, string Output)> RunAsync(string stdin, params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(NluCommands.Create(() => new StringReader(stdin)));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output + error.ToString());
    }

    [Fact]
    public async Task Spelling_guard_lists_the_real_words_the_corrector_would_change()
    {
        var (code, output) = await RunAsync("entero\nhotel\nAbrir\nenero\n", "nlu", "spelling-guard");

        Assert.Equal(0, code);
        Assert.Equal(["abrir abril", "entero enero"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Parse_writes_one_json_object_per_line()
    {
        var (code, output) = await RunAsync("resérvame la matrimonial del 10 al 12 para 2\nhay pileta?\n", "nlu", "parse", "--today", "2026-11-21");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);

        using var first = JsonDocument.Parse(lines[0]);
        var r = first.RootElement;
        Assert.Equal("resérvame la matrimonial del 10 al 12 para 2", r.GetProperty("text").GetString());
        Assert.Equal(NluLabels.MakeReservation, r.GetProperty("intent").GetString());
        Assert.InRange(r.GetProperty("confidence").GetDouble(), 0, 1);
        var e = r.GetProperty("entities");
        Assert.Equal("2026-12-10", e.GetProperty("check_in").GetString());
        Assert.Equal("2026-12-12", e.GetProperty("check_out").GetString());
        Assert.Equal(2, e.GetProperty("guests").GetInt32());
        Assert.Equal(2, e.GetProperty("nights").GetInt32());
        Assert.Equal("doble", e.GetProperty("room_type").GetString());
        Assert.Equal(0, e.GetProperty("amenities").GetArrayLength());

        using var second = JsonDocument.Parse(lines[1]);
        var e2 = second.RootElement.GetProperty("entities");
        Assert.Equal(JsonValueKind.Null, e2.GetProperty("check_in").ValueKind);
        Assert.Equal(JsonValueKind.Null, e2.GetProperty("guests").ValueKind);
        Assert.Equal(JsonValueKind.Null, e2.GetProperty("room_type").ValueKind);
        Assert.Equal("piscina", e2.GetProperty("amenities")[0].GetString());
        Assert.Equal(["text", "intent", "confidence", "entities"], second.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["check_in", "check_out", "guests", "nights", "room_type", "amenities"], e2.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Parse_rejects_a_bad_today()
    {
        var (code, output) = await RunAsync("hola\n", "nlu", "parse", "--today", "21/11/2026");
        Assert.Equal(2, code);
        Assert.Contains("YYYY-MM-DD", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_without_a_file_reports_the_tuned_splits_and_the_frozen_split_apart()
    {
        var (code, output) = await RunAsync(string.Empty, "nlu", "eval");

        Assert.Equal(0, code);
        Assert.Contains("TUNED splits", output, StringComparison.Ordinal);
        Assert.Contains("FROZEN split", output, StringComparison.Ordinal);
        foreach (var split in new[] { "nlu-eval", "nlu-test", "nlu-dev", "nlu-frozen" })
        {
            Assert.Matches(split + @"\s+n=\s*\d+\s+intent accuracy 0\.\d{4}\s+macro F1 0\.\d{4}\s+entity accuracy [01]\.\d{4}", output);
        }

        var frozenDetails = output[output.IndexOf("== tuned splits: details ==", StringComparison.Ordinal)..];
        Assert.DoesNotContain(NluCorpus.LoadFrozen()[0].Text, frozenDetails, StringComparison.Ordinal); // frozen errors are not listed
    }

    [Fact]
    public async Task Eval_prints_metrics_and_confusions()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nlu-eval-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            """{"text":"hay pileta?","intent":"ask_amenities","entities":{"amenities":["piscina"]}}""",
            """{"text":"chau gracias","intent":"greeting"}""",
            """{"text":"del 10 al 12","intent":"check_availability","today":"2026-11-21","entities":{"check_in":"2026-12-10","check_out":"2026-12-12","nights":2}}""",
        ]);
        try
        {
            var (code, output) = await RunAsync(string.Empty, "nlu", "eval", path);
            Assert.Equal(0, code);
            Assert.Contains("intent accuracy: 0.6667", output, StringComparison.Ordinal);
            Assert.Contains("entity accuracy: 1.0000", output, StringComparison.Ordinal);
            Assert.Contains("macro F1:", output, StringComparison.Ordinal);
            Assert.Contains("ask_amenities", output, StringComparison.Ordinal);
            Assert.Contains("greeting -> goodbye", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Program_root_contains_the_nlu_command() =>
        Assert.Contains(HotelAgent.Cli.Program.BuildRoot().Subcommands, c => c.Name == "nlu");
}
