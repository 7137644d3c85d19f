using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace HotelAgent.Bench.Startup;

/// <summary>
/// Cold-start proxy and memory: spawns <c>dotnet HotelAgent.Functions.dll --urls http://127.0.0.1:{port}</c> (standalone,
/// temp data dir), times process start → first 200 from <c>/api/health/ready</c>, reads VmRSS from /proc, then sends
/// 10,000 web chat messages (100 sessions, each waits for its reply) and reads VmRSS again.
/// Baseline: <c>dotnet --version</c> (host start + exit, the floor of any dotnet process) in the same run.
/// Usage: dotnet build -c Release src/HotelAgent.Functions &amp;&amp; dotnet run -c Release --project bench/HotelAgent.Bench.Startup [-- path/to/HotelAgent.Functions.dll [messages]]
/// </summary>
public static class Program
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] Texts = ["¿A qué hora es el desayuno?", "¿Tienen wifi?", "¿Cuál es la hora del check-out?", "¿Aceptan mascotas?", "¿Tienen estacionamiento?", "¿A qué hora es el check-in?"];

    public static async Task<int> Main(string[] args)
    {
        var dll = args.Length > 0 ? Path.GetFullPath(args[0]) : FindDll();
        var messages = args.Length > 1 ? int.Parse(args[1], C) : 10_000;
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"{dll} not found: run `dotnet build -c Release src/HotelAgent.Functions` first.");
            return 2;
        }

        Console.WriteLine(string.Create(C, $"startup bench: {Environment.ProcessorCount} cores, {dll}"));

        var floor = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            floor.Add(sw.Elapsed.TotalMilliseconds);
        }

        var floorMs = Median(floor);
        Console.WriteLine(string.Create(C, $"baseline `dotnet --version`: median {floorMs:F0} ms of 5 ({string.Join(", ", floor.Select(f => f.ToString("F0", C)))})"));

        var starts = new List<double>();
        var rssAfterStart = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var host = await Host.StartAsync(dll);
            starts.Add(host.ReadyMs);
            rssAfterStart.Add(host.RssKb());
            Console.WriteLine(string.Create(C, $"start #{i + 1}: ready after {host.ReadyMs:F0} ms, VmRSS {host.RssKb() / 1024.0:F1} MiB"));
            if (i < 2)
            {
                continue;
            }

            // 10,000 messages through the web chat API on the last instance.
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(40) };
            var sent = 0;
            var replied = 0;
            var errors = 0;
            var budget = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(90);
            await Task.WhenAll(Enumerable.Range(0, 100).Select(async s =>
            {
                var session = "bench-session-" + s.ToString("D4", C);
                long after = 0;
                for (var n = 0; Interlocked.Increment(ref sent) <= messages && budget.Elapsed < deadline; n++)
                {
                    try
                    {
                        using var post = await http.PostAsJsonAsync($"/api/webchat/{session}/messages", new { text = Texts[n % Texts.Length] });
                        if (post.StatusCode != HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref errors);
                            continue;
                        }

                        var replies = await http.GetFromJsonAsync<Reply[]>($"/api/webchat/{session}/messages?after={after}&waitSeconds=30");
                        if (replies is { Length: > 0 })
                        {
                            after = replies.Max(r => r.Sequence);
                            Interlocked.Increment(ref replied);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }));
            var elapsed = budget.Elapsed.TotalSeconds;
            await Task.Delay(1000);
            var rssAfter = host.RssKb();
            Console.WriteLine(string.Create(C,
                $"after {replied} replied messages ({errors} errors, {elapsed:F1} s, {replied / elapsed:F0} msg/s, 100 web chat sessions): VmRSS {rssAfter / 1024.0:F1} MiB, VmHWM {host.HwmKb() / 1024.0:F1} MiB, ratio vs after start x{(double)rssAfter / host.RssAtReadyKb:F2}"));
            if (replied < messages)
            {
                Console.WriteLine($"  (stopped at the {deadline.TotalSeconds:F0} s budget before {messages} messages)");
            }
        }

        var startMs = Median(starts);
        Console.WriteLine();
        Console.WriteLine("summary:");
        Console.WriteLine(string.Create(C, $"  process start → /api/health/ready 200: median {startMs:F0} ms of 3 ({string.Join(", ", starts.Select(s => s.ToString("F0", C)))}); baseline dotnet --version {floorMs:F0} ms; ratio x{startMs / floorMs:F1}"));
        Console.WriteLine(string.Create(C, $"  VmRSS after start: median {Median(rssAfterStart.Select(r => r / 1024.0).ToList()):F1} MiB"));
        return 0;
    }

    private sealed record Reply(long Sequence, string Text);

    private static double Median(List<double> values)
    {
        var a = values.OrderBy(v => v).ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }

    private static string FindDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HotelAgent.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        var bin = Path.Combine(root, "src", "HotelAgent.Functions", "bin", "Release");
        return Directory.Exists(bin)
            ? Directory.GetFiles(bin, "HotelAgent.Functions.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() ?? Path.Combine(bin, "HotelAgent.Functions.dll")
            : Path.Combine(bin, "HotelAgent.Functions.dll");
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _dataDir;

        private Host(Process process, string dataDir, Uri baseAddress, double readyMs)
        {
            _process = process;
            _dataDir = dataDir;
            BaseAddress = baseAddress;
            ReadyMs = readyMs;
            RssAtReadyKb = RssKb();
        }

        public Uri BaseAddress { get; }

        public double ReadyMs { get; }

        public long RssAtReadyKb { get; }

        public static async Task<Host> StartAsync(string dll)
        {
            var port = FreePort();
            var dataDir = Path.Combine(Path.GetTempPath(), "hotelagent-startup-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dataDir);
            var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dataDir,
            };
            psi.Environment["HotelAgent__DataDirectory"] = dataDir;
            psi.Environment["RateLimit__Burst"] = "10000";
            psi.Environment["RateLimit__PerMinute"] = "100000";
            // 100 web-chat sessions from one address at full speed: lift the web chat's per-address and per-session limits.
            psi.Environment["WebChat__NewSessionsPerClientBurst"] = "1000";
            psi.Environment["WebChat__NewSessionsBurst"] = "1000";
            psi.Environment["WebChat__ClientBurst"] = "100000";
            psi.Environment["WebChat__ClientPerMinute"] = "1000000";
            psi.Environment["WebChat__SessionBurst"] = "100000";
            psi.Environment["WebChat__SessionPerMinute"] = "1000000";
            psi.Environment["WebChat__ReadBurst"] = "100000";
            psi.Environment["WebChat__ReadsPerMinute"] = "1000000";
            psi.Environment["Dialog__RepetitionLimit"] = "20";
            psi.Environment["Dialog__RepetitionSimilarity"] = "1.0";
            psi.Environment["Logging__LogLevel__Default"] = "Warning";
            psi.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
            var sw = Stopwatch.StartNew();
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"host exited with {process.ExitCode} before ready");
                }

                if (sw.Elapsed > TimeSpan.FromSeconds(60))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("host not ready within 60 s");
                }

                try
                {
                    using var r = await probe.GetAsync("api/health/ready");
                    if (r.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(10);
            }

            return new Host(process, dataDir, baseAddress, sw.Elapsed.TotalMilliseconds);
        }

        public long RssKb() => Status("VmRSS:");

        public long HwmKb() => Status("VmHWM:");

        private long Status(string key)
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], C);
                }
            }

            return -1;
        }

        private static int FreePort()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
