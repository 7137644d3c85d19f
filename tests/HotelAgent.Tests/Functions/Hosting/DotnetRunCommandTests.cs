using System.Diagnostics;
using System.Text.Json;
using HotelAgent.Tests.Infra;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>
/// The README's run command, <c>dotnet run --project src/HotelAgent.Functions</c>: the Functions worker SDK turns
/// <c>dotnet run</c> into <c>func start</c> and fails without Azure Functions Core Tools. Without them (as on a fresh
/// machine and here) the project must run its own DLL standalone, from the caller's directory (where <c>./data</c> goes),
/// keeping the arguments given after <c>--</c>. Asked of MSBuild the way <c>dotnet run</c> asks it.
/// </summary>
public sealed class DotnetRunCommandTests
{
    [Fact]
    public async Task Dotnet_run_without_core_tools_runs_the_app_standalone_from_the_callers_directory()
    {
        var project = Path.Combine(RepoRoot.Path, "src", "HotelAgent.Functions", "HotelAgent.Functions.csproj");
        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "dotnet")).FirstOrDefault(File.Exists) ?? "/usr/share/dotnet/dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "msbuild", project, "-nologo", "-t:ComputeRunArguments", "-p:Configuration=Release",
                     "-getProperty:RunCommand", "-getProperty:RunArguments", "-getProperty:RunWorkingDirectory" })
        {
            start.ArgumentList.Add(arg);
        }

        // Only the dotnet host's folder on PATH: no `func` can be found, whatever this machine has installed.
        start.Environment["PATH"] = Path.GetDirectoryName(dotnet)!;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stdout + await stderr);

        var properties = JsonDocument.Parse(await stdout).RootElement.GetProperty("Properties");
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(properties.GetProperty("RunCommand").GetString()));
        var arguments = properties.GetProperty("RunArguments").GetString()!;
        Assert.StartsWith("exec ", arguments, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("Release", "net10.0", "HotelAgent.Functions.dll"), arguments, StringComparison.Ordinal);
        Assert.Equal(Path.TrimEndingDirectorySeparator(RepoRoot.Path), Path.TrimEndingDirectorySeparator(properties.GetProperty("RunWorkingDirectory").GetString()!));
    }
}
