using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// The standalone host as a child process (<c>dotnet HotelAgent.Functions.dll --urls …</c>) on a fixed data
/// directory, so it can be SIGKILLed and restarted like a real deployment.
/// </summary>
/// <param name="settings">Extra settings (<c>Section:Key</c>), passed as environment variables (e.g. the durable backend).</param>
public sealed class ChildHost(string dataDirectory, FakeGraphApi graph, IReadOnlyDictionary<string, string?>? settings = null) : IDisposable
{
    public const string AppSecret = "test-app-secret-123";
    public const string StaffKey = "test-staff-key";
    private Process? _process;

    public int Starts { get; private set; }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// How long a restarted host waits for Meta's status webhook before resending a reply a killed host may have sent
    /// (<c>WhatsApp__UnconfirmedSendWaitSeconds</c>). The fake Graph API redelivers statuses every 500 ms, so a few
    /// seconds suffice and keep replies whose POST never reached the fake within the scenario's reply deadline.
    /// </summary>
    public const int UnconfirmedSendWaitSeconds = 5;

    /// <summary>HotelAgent.Functions.dll next to the running assembly (the test or bench bin folder).</summary>
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "HotelAgent.Functions.dll");

    public bool Running => _process is { HasExited: false };

    /// <summary>The child's resident memory now (<c>VmRSS</c> of /proc), in bytes.</summary>
    public long ResidentBytes()
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("The child host is not running.");
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public async Task StartAsync()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");

        // Meta's status webhooks (when the fake sends them) go to wherever the host now listens.
        graph.StatusWebhookUrl = new Uri(BaseAddress, "api/webhooks/whatsapp").ToString();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(AssemblyPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        info.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["HotelAgent__DataDirectory"] = dataDirectory;
        info.Environment["WhatsApp__GraphBaseUrl"] = graph.BaseUrl;
        info.Environment["WhatsApp__GraphVersion"] = "v23.0";
        info.Environment["WhatsApp__AppSecret"] = AppSecret;
        info.Environment["WhatsApp__VerifyToken"] = "test-verify-token";
        info.Environment["WhatsApp__AccessToken"] = "test-access-token";
        info.Environment["WhatsApp__PhoneNumberId"] = "106540352242922";
        info.Environment["WhatsApp__UnconfirmedSendWaitSeconds"] = UnconfirmedSendWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Staff__ApiKey"] = StaffKey;
        info.Environment["Security__ConversationIdKey"] = Fakes.Hosting.TestSecrets.ConversationIdKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var client = CreateClient();
        // The suite's wait for anything asynchronous: a start takes 1-2 s idle but much longer on a loaded machine.
        var deadline = DateTime.UtcNow + Fakes.Eventually.DefaultTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The child host exited with code " + _process.ExitCode);
            }

            try
            {
                using var response = await client.GetAsync("api/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The child host did not become ready.");
    }

    /// <summary>SIGKILL (Process.Kill on Linux): no graceful shutdown, no flush.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            p.WaitForExit(10_000);
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
