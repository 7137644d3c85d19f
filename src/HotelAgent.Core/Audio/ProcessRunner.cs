using System.Diagnostics;
using System.Text;

namespace HotelAgent.Core.Audio;

/// <summary>Result of an external tool run.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardError);

/// <summary>Runs a tool with an argument list (never a shell string), a time limit and a killed process tree on timeout.</summary>
internal static class ProcessRunner
{
    private const int MaxStderrChars = 4000;

    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        process.Start();
        process.StandardInput.Close();
        var drainOut = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var readErr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        await drainOut;
        var stderr = await readErr;
        return new ProcessResult(process.ExitCode, stderr.Length > MaxStderrChars ? stderr[..MaxStderrChars] : stderr);
    }
}
