using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;

namespace HotelAgent.Cli.Commands;

/// <summary>
/// <c>hotel-agent publish</c>: builds the deployable function app folder — host.json and every function.json
/// (written by the published handler itself from its C# function declarations) plus the handler published
/// self-contained for linux-x64 with ReadyToRun under <c>handler/</c> — and zips it for deployment.
/// </summary>
public static class PublishCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Function app folder", DefaultValueFactory = _ => Path.Combine("artifacts", "functionapp") };
        var runtime = new Option<string>("--runtime") { Description = "Runtime identifier of the handler", DefaultValueFactory = _ => "linux-x64" };
        var noZip = new Option<bool>("--no-zip") { Description = "Skip the deployment zip" };
        var command = new Command("publish", "Build the publishable Azure Functions app (custom handler) and its zip") { output, runtime, noZip };
        command.SetAction(async (parse, ct) =>
        {
            var publisher = new FunctionAppPublisher(FindRepositoryRoot(), Console.Out);
            return await publisher.PublishAsync(parse.GetValue(output)!, parse.GetValue(runtime)!, !parse.GetValue(noZip), ct);
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
    public const string HandlerFolder = "handler";
    public const string HandlerExecutable = "HotelAgent.Functions";

    public async Task<int> PublishAsync(string output, string runtime, bool zip, CancellationToken cancellationToken)
    {
        var appDir = Path.GetFullPath(Path.Combine(repositoryRoot, output));
        if (Directory.Exists(appDir))
        {
            Directory.Delete(appDir, recursive: true);
        }

        var handlerDir = Path.Combine(appDir, HandlerFolder);
        var project = Path.Combine(repositoryRoot, "src", "HotelAgent.Functions", "HotelAgent.Functions.csproj");
        await log.WriteLineAsync($"Publishing the handler ({runtime}, self-contained, ReadyToRun) to {handlerDir}");
        var code = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", runtime, "--self-contained", "true", "-p:PublishReadyToRun=true", "-o", handlerDir, "--nologo"], cancellationToken);
        if (code != 0)
        {
            await log.WriteLineAsync("dotnet publish failed.");
            return code;
        }

        // The published handler writes host.json + function.json from its own declarations: one source of truth.
        await log.WriteLineAsync("Writing host.json and function.json files");
        code = await RunAsync("dotnet", [Path.Combine(handlerDir, HandlerExecutable + ".dll"), "--write-function-app", appDir], cancellationToken);
        if (code != 0)
        {
            await log.WriteLineAsync("Writing the function metadata failed.");
            return code;
        }

        if (zip)
        {
            var zipPath = appDir.TrimEnd(Path.DirectorySeparatorChar) + ".zip";
            File.Delete(zipPath);
            // On Unix, ZipFile keeps file modes, so the handler stays executable after zip deploy.
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
