using System.Globalization;
using HotelAgent.Core.Hotel;
using HotelAgent.Tests.Dialog.Corpus;

// Dialog harness, run by hand: plays guest conversations (.conv files, the corpus format) through the dialog with the real
// offline NLU and embedded PMS (or through the standalone host with --path webchat|whatsapp) and prints each transcript
// with its verdict (PASSED / PARTLY / FAILED) and a summary by defect class.
//
//   dotnet run -c Release --project bench/HotelAgent.Bench.Dialog -- [DIR_OR_FILE ...] [--path dialog|webchat|whatsapp]
//       [--only ID] [--quiet] [--failed]
// Default input: bench/HotelAgent.Bench.Dialog/tryouts (conversations NOT in the test corpus).
var inputs = new List<string>();
var path = "dialog";
string? only = null;
var quiet = false;
var failedOnly = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--path":
            path = args[++i];
            break;
        case "--only":
            only = args[++i];
            break;
        case "--quiet":
            quiet = true;
            break;
        case "--failed":
            failedOnly = true;
            break;
        default:
            inputs.Add(args[i]);
            break;
    }
}

if (inputs.Count == 0)
{
    inputs.Add(Path.Combine(FindRepoRoot(), "bench", "HotelAgent.Bench.Dialog", "tryouts"));
}

var scripts = new List<ConversationScript>();
foreach (var input in inputs)
{
    scripts.AddRange(Directory.Exists(input)
        ? ConversationScriptParser.LoadDirectory(input)
        : ConversationScriptParser.Parse(File.ReadAllText(input), Path.GetFileName(input)));
}

var profile = HotelProfile.Load(null);
var results = new List<(ConversationScript Script, string Verdict)>();
foreach (var script in scripts.Where(s => only is null || s.Id == only))
{
    ConversationRun run;
    try
    {
        run = path == "dialog"
            ? await ConversationRunner.RunThroughDialogAsync(script, profile)
            : await ConversationRunner.RunThroughHostAsync(script, path);
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
    {
        Console.WriteLine($"=== {script.Id}: could not run ({ex.Message})");
        results.Add((script, "FAILED"));
        continue;
    }

    var failures = ConversationChecks.Evaluate(run);
    var verdict = ConversationChecks.Verdict(failures);
    results.Add((script, verdict));
    if (!quiet && (!failedOnly || verdict != "PASSED"))
    {
        Console.WriteLine(ConversationChecks.Transcript(run, failures) + "  => " + verdict + "\n");
    }
}

Console.WriteLine($"{results.Count} conversations via {path}: {results.Count(r => r.Verdict == "PASSED")} passed, " +
    $"{results.Count(r => r.Verdict == "PARTLY")} partly, {results.Count(r => r.Verdict == "FAILED")} failed");
foreach (var group in results.SelectMany(r => (r.Script.Classes.Count == 0 ? ["-"] : r.Script.Classes).Select(c => (Class: c, r.Verdict)))
             .GroupBy(x => x.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  class {group.Key,-3} {group.Count(),3} conversations: {group.Count(x => x.Verdict == "PASSED"),3} passed, {group.Count(x => x.Verdict == "PARTLY"),3} partly, {group.Count(x => x.Verdict == "FAILED"),3} failed"));
}

foreach (var r in results.Where(r => r.Verdict != "PASSED"))
{
    Console.WriteLine($"  {r.Verdict,-7} {r.Script.Id} ({r.Script.File})");
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HotelAgent.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
