using HotelAgent.Functions;
using HotelAgent.Functions.Definitions;

// `--write-function-app DIR` writes host.json + every function.json (the publish step); otherwise serve.
var writeIndex = Array.IndexOf(args, "--write-function-app");
if (writeIndex >= 0)
{
    var target = writeIndex + 1 < args.Length ? args[writeIndex + 1] : "artifacts/functionapp";
    await using var metadataApp = HotelAgentApp.Build(["--environment", "Development"], HostingMode.Standalone);
    var written = FunctionMetadataWriter.Write(metadataApp.Services.GetRequiredService<FunctionCatalog>(), target);
    Console.WriteLine($"Wrote {written.Count} files to {Path.GetFullPath(target)}");
    return 0;
}

await using var app = HotelAgentApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type (also used by tests to locate the assembly).</summary>
public partial class Program;
