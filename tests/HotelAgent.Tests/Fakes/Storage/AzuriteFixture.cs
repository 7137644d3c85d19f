using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HotelAgent.Tests.Fakes.Storage;

/// <summary>
/// Azurite (the Azure Storage emulator, npm <c>azurite</c> 3.37.0) started once per test run on free loopback ports,
/// in memory. <c>scripts/test.sh</c> installs it into a cache folder and exports <c>HOTELAGENT_AZURITE</c>; without it
/// the default cache folder and then the PATH are tried, and the Azure Storage tests fail with the install hint.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    public static string? Executable()
    {
        var configured = Environment.GetEnvironmentVariable("HOTELAGENT_AZURITE");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var cached = Path.Combine(home, ".cache", "hotelagent", "azurite-3.37.0", "node_modules", ".bin", "azurite");
        if (File.Exists(cached))
        {
            return cached;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "azurite")).FirstOrDefault(File.Exists);
    }

    public async Task InitializeAsync()
    {
        var azurite = Executable() ?? throw new InvalidOperationException(
            "Azurite is not installed: run scripts/test.sh once (it installs npm azurite 3.37.0 into ~/.cache/hotelagent), or set HOTELAGENT_AZURITE.");
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo(azurite)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var port in new[] { blob, queue, table })
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not open port {port} (exited: {_process.HasExited}).");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>Settings that put a standalone host's durable runtime on Azurite, in a task hub of its own.</summary>
    public Dictionary<string, string?> DurableSettings(string? taskHub = null) => new()
    {
        ["Durable:Backend"] = "AzureStorage",
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Durable:TaskHub"] = taskHub ?? NewTaskHub(),
        // Test tuning: short idle polling and quick takeover after a kill (docs/orchestration.md explains each).
        ["Durable:AzureStorage:MaxQueuePollingInterval"] = "00:00:00.500",
        ["Durable:AzureStorage:ControlQueueVisibilityTimeout"] = "00:00:10",
        ["Durable:AzureStorage:WorkItemQueueVisibilityTimeout"] = "00:00:10",
        ["Durable:AzureStorage:LeaseInterval"] = "00:00:08",
        ["Durable:AzureStorage:LeaseRenewInterval"] = "00:00:02",
        ["Durable:AzureStorage:LeaseAcquireInterval"] = "00:00:01",
        ["Durable:AzureStorage:PartitionCount"] = "2",
    };

    public static string NewTaskHub() => "T" + Guid.NewGuid().ToString("N")[..20];

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Test classes that need Azure Storage share one Azurite per test run.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
