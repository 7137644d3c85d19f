using System.Diagnostics;
using HotelAgent.Functions.Hosting;
using HotelAgent.Tests.Reliability;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>A host that cannot start says why in one line and exits with 1 (not an unhandled exception and SIGABRT).</summary>
public sealed class StartFailureTests
{
    [Fact]
    public async Task A_setting_out_of_range_stops_the_standalone_host_with_one_line_and_exit_code_1()
    {
        var data = Directory.CreateTempSubdirectory("hotelagent-startfail-");
        try
        {
            var info = new ProcessStartInfo("dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            info.ArgumentList.Add(ChildHost.AssemblyPath);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add("http://127.0.0.1:0");
            info.Environment["HotelAgent__DataDirectory"] = data.FullName;
            info.Environment["WhatsApp__MessagesPerSecond"] = "-3";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Generous: a loaded machine starts dotnet slowly; the assertion is on the exit, not on its speed.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);

            var errors = await stderr;
            Assert.Equal(StartFailure.ExitCode, process.ExitCode);
            var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("HotelAgent could not start:", line, StringComparison.Ordinal);
            Assert.Contains("MessagesPerSecond", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", errors + await stdout, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_aggregate_of_retries_is_described_by_its_first_cause()
    {
        var failure = new AggregateException("Retry failed after 2 tries.", new IOException("Connection refused (127.0.0.1:1)"), new IOException("Connection refused (127.0.0.1:1)"));

        Assert.Equal("HotelAgent could not start: Connection refused (127.0.0.1:1)", StartFailure.Describe(failure));
        Assert.Equal("HotelAgent could not start: bad value at 'X:Y'", StartFailure.Describe(new InvalidOperationException("bad value\nat 'X:Y'")));
    }
}
