using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;

namespace HotelAgent.Cli.Commands;

/// <summary>
/// <c>hotel-agent publish</c>: <c>dotnet publish</c> of the isolated-worker function app (host.json, the worker SDK's
/// <c>functions.metadata</c> and <c>extensions.json</c>, the host-side extensions under <c>.azurefunctions/</c>) as a
/// ReadyToRun linux-x64 framework-dependent build, and the deployment zip.
/// </summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Function app folder", DefaultValueFactory = _ => Path.Combine("artifacts", "functionapp") };
        var noZip = new Option<bool>("--no-zip") { Description = "Skip the deployment zip" };
        var command = new Command("publish", "Build the publishable Azure Functions app (.NET isolated worker) and its zip") { output, noZip };
        command.SetAction(async (parse, ct) =>
        {
            var publisher = new FunctionAppPublisher(FindRepositoryRoot(), Console.Out);
            return await publisher.PublishAsync(parse.GetValue(output)!, !parse.GetValue(noZip), ct);
        });
        return command;
    }

    public static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HotelAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run hotel-agent publish inside the HotelAgent repository.");
    }
}

/// <summary>The steps of <c>hotel-agent publish</c>, testable with any output folder.</summary>
public sealed class FunctionAppPublisher(string repositoryRoot, TextWriter log)
{
    public async Task<int> PublishAsync(string output, bool zip, CancellationToken cancellationToken)
    {
        var appDir = Path.GetFullPath(Path.Combine(repositoryRoot, output));
        if (Directory.Exists(appDir))
        {
            Directory.Delete(appDir, recursive: true);
        }

        var project = Path.Combine(repositoryRoot, "src", "HotelAgent.Functions", "HotelAgent.Functions.csproj");
        await log.WriteLineAsync($"Publishing the function app to {appDir}");
        // ReadyToRun for the Flex Consumption plan's linux-x64 workers (framework-dependent): precompiled code instead of
        // JIT at every cold start (issue 19's start-to-ready goal is for this build).
        var code = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", appDir, "--nologo"], cancellationToken);
        if (code != 0)
        {
            await log.WriteLineAsync("dotnet publish failed.");
            return code;
        }

        if (!File.Exists(Path.Combine(appDir, "functions.metadata")) || !File.Exists(Path.Combine(appDir, "host.json")))
        {
            await log.WriteLineAsync("The published folder lacks functions.metadata or host.json.");
            return 1;
        }

        if (zip)
        {
            var zipPath = appDir.TrimEnd(Path.DirectorySeparatorChar) + ".zip";
            File.Delete(zipPath);
            await ZipFile.CreateFromDirectoryAsync(appDir, zipPath, CompressionLevel.Optimal, includeBaseDirectory: false, cancellationToken);
            await log.WriteLineAsync($"Deployment zip: {zipPath}");
        }

        await log.WriteLineAsync($"Function app ready: {appDir} (run it with `func start` from that folder)");
        return 0;
    }

    private async Task<int> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repositoryRoot };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            await log.WriteLineAsync(await stdout);
            await log.WriteLineAsync(await stderr);
        }

        return process.ExitCode;
    }
}
