using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HotelAgent.Bench.GuestTurn;

namespace HotelAgent.Bench.Startup;

/// <summary>
/// Start-up and memory of the shipped build. Publishes <c>src/HotelAgent.Functions</c> with ReadyToRun for linux-x64 into
/// this bench's own folder (<c>bench/HotelAgent.Bench.Startup/bin/r2r-publish</c>, emptied and rebuilt every run), spawns it
/// standalone (temp data dir, product-default logging), times process start → first 200 from <c>/api/health/ready</c>
/// with a breakdown from the host's own log lines, then drives WhatsApp booking conversations (100 guests; book, modify,
/// cancel and FAQ turns, replies to a loopback fake Graph API) and prints VmRSS/VmHWM every 1,000 messages.
/// Baseline: <c>dotnet --version</c> (host start + exit, the floor of any dotnet process) in the same run.
/// Usage: dotnet run -c Release --project bench/HotelAgent.Bench.Startup [-- messages [path/to/HotelAgent.Functions.dll]]
/// (a dll given explicitly is measured as is, without publishing).
/// </summary>
public static class Program
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], C) : 10_000;
        var root = RepositoryRoot();
        string dll;
        if (args.Length > 1)
        {
            dll = Path.GetFullPath(args[1]);
        }
        else
        {
            var output = Path.Combine(root, "bench", "HotelAgent.Bench.Startup", "bin", "r2r-publish");
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Console.WriteLine($"publishing src/HotelAgent.Functions (Release, linux-x64, ReadyToRun, framework-dependent) into {output} ...");
            var sw = Stopwatch.StartNew();
            var psi = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", "HotelAgent.Functions"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-o", output, "-nologo", "-v", "q"]) { UseShellExecute = false };
            using var publish = Process.Start(psi)!;
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
            {
                Console.Error.WriteLine($"publish failed ({publish.ExitCode})");
                return 2;
            }

            Console.WriteLine(string.Create(C, $"published in {sw.Elapsed.TotalSeconds:F0} s"));
            dll = Path.Combine(output, "HotelAgent.Functions.dll");
        }

        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"{dll} not found.");
            return 2;
        }

        Console.WriteLine(string.Create(C, $"startup bench: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {dll}"));

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

        await using var graph = await FakeGraph.StartAsync();
        var starts = new List<double>();
        var rssAfterStart = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await using var host = await Host.StartAsync(dll, graph.BaseUrl);
            starts.Add(host.ReadyMs);
            rssAfterStart.Add(host.RssKb());
            Console.WriteLine(string.Create(C, $"start #{i + 1}: ready after {host.ReadyMs:F0} ms, VmRSS {host.RssKb() / 1024.0:F1} MiB; {host.Breakdown()}"));
            if (i == 4)
            {
                Console.WriteLine($"  RSS by mapping at ready: {host.RssByMapping()}");
            }

            if (i < 4 || messages <= 0)
            {
                continue;
            }

            await DriveWhatsAppAsync(host, graph, messages);
        }

        var startMs = Median(starts);
        Console.WriteLine();
        Console.WriteLine(string.Create(C, $"summary (load average now {LoadAverage()}):"));
        Console.WriteLine(string.Create(C, $"  process start → /api/health/ready 200 (ReadyToRun publish): median {startMs:F0} ms of {starts.Count} ({string.Join(", ", starts.Select(s => s.ToString("F0", C)))}); baseline dotnet --version {floorMs:F0} ms; ratio x{startMs / floorMs:F1}; goal < 500 ms {(startMs < 500 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(C, $"  VmRSS after start: median {Median(rssAfterStart.Select(r => r / 1024.0).ToList()):F1} MiB"));
        return 0;
    }

    /// <summary>100 WhatsApp guests looping the booking script (book, FAQ, modify, FAQ, cancel, 2 FAQ) until <paramref name="messages"/> are sent.</summary>
    private static async Task DriveWhatsAppAsync(Host host, FakeGraph graph, int messages)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var guests = Enumerable.Range(0, 100).Select(i => new WhatsAppGuest(http, graph, (34622000000L + i).ToString(C), i)).ToArray();
        var probe = new WhatsAppGuest(http, graph, "34622999999", 0);
        await probe.ProbeAsync(new GuestStep("Hola!"));
        List<int>[] shapes = [[], []];
        for (var loop = 0; loop < 2; loop++)
        {
            foreach (var step in probe.Script(loop))
            {
                shapes[loop].Add(await probe.ProbeAsync(step));
            }
        }

        var sent = 0;
        var replied = 0;
        var timeouts = 0;
        var rejected = 0;
        var bookings = 0;
        var nextReport = 1000;
        var reportGate = new Lock();
        var budget = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(10);
        Console.WriteLine(string.Create(C, $"driving {messages} WhatsApp messages from 100 guests (booking script, sends per turn [{string.Join(",", shapes[0])}] then [{string.Join(",", shapes[1])}], pacing product default WhatsApp__MessagesPerSecond raised to 1000), budget {deadline.TotalMinutes:F0} min"));
        await Task.WhenAll(guests.Select(async g =>
        {
            await g.ProbeAsync(new GuestStep("Hola!"));
            for (var loop = 0; Volatile.Read(ref sent) < messages && budget.Elapsed < deadline; loop++)
            {
                var script = g.Script(loop);
                var shape = shapes[Math.Min(loop, 1)];
                for (var s = 0; s < script.Count && budget.Elapsed < deadline; s++)
                {
                    var n = Interlocked.Increment(ref sent);
                    if (n > messages)
                    {
                        return;
                    }

                    var r = await g.TurnAsync(script[s], shape[s]);
                    if (!r.Accepted)
                    {
                        Interlocked.Increment(ref rejected);
                    }
                    else if (r.ReplyMs is null)
                    {
                        Interlocked.Increment(ref timeouts);
                    }
                    else
                    {
                        Interlocked.Increment(ref replied);
                    }

                    if (script[s].Confirms && r.Texts.Any(t => t.Contains("HPS-", StringComparison.Ordinal)))
                    {
                        Interlocked.Increment(ref bookings);
                    }

                    lock (reportGate)
                    {
                        if (n >= nextReport)
                        {
                            nextReport += 1000;
                            Console.WriteLine(string.Create(C, $"  {n,6} messages: VmRSS {host.RssKb() / 1024.0:F1} MiB, VmHWM {host.HwmKb() / 1024.0:F1} MiB, {n / budget.Elapsed.TotalSeconds:F0} msg/s"));
                        }
                    }
                }
            }
        }));
        var elapsed = budget.Elapsed.TotalSeconds;
        await Task.Delay(1000);
        var rssAfter = host.RssKb();
        Console.WriteLine(string.Create(C,
            $"after {Math.Min(sent, messages)} messages ({replied} replied, {timeouts} timeouts, {rejected} rejected; {bookings} bookings confirmed; {elapsed:F0} s, {replied / elapsed:F0} msg/s): VmRSS {rssAfter / 1024.0:F1} MiB, VmHWM {host.HwmKb() / 1024.0:F1} MiB (goal < 150 MB = 143 MiB: {(rssAfter * 1024L < 150_000_000 ? "met" : "MISSED")}); x{(double)rssAfter / host.RssAtReadyKb:F2} of after start"));
        Console.WriteLine($"  RSS by mapping after the messages: {host.RssByMapping()}");
        if (budget.Elapsed >= deadline)
        {
            Console.WriteLine($"  (stopped at the {deadline.TotalMinutes:F0} min budget)");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Median(List<double> values)
    {
        var a = values.OrderBy(v => v).ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HotelAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _dataDir;
        private readonly List<(double Ms, string Line)> _log;

        private Host(Process process, string dataDir, Uri baseAddress, double readyMs, List<(double Ms, string Line)> log)
        {
            _process = process;
            _dataDir = dataDir;
            _log = log;
            BaseAddress = baseAddress;
            ReadyMs = readyMs;
            RssAtReadyKb = RssKb();
        }

        public Uri BaseAddress { get; }

        public double ReadyMs { get; }

        public long RssAtReadyKb { get; }

        /// <summary>Where the time went, from the host's log lines (time of arrival at this process).</summary>
        public string Breakdown()
        {
            lock (_log)
            {
                var lines = _log.Where(l => l.Ms <= ReadyMs).ToList();
                string At(string contains)
                {
                    var hit = lines.FirstOrDefault(l => l.Line.Contains(contains, StringComparison.OrdinalIgnoreCase));
                    return hit.Line is null ? "-" : hit.Ms.ToString("F0", C) + " ms";
                }

                // The host's own request log line for the first 200: time spent inside the app's middleware (the rest of
                // "listening → ready" is Kestrel's first connection, routing's first build and the bench's own client).
                var readyLine = _log.FirstOrDefault(l => l.Line.Contains("/api/health/ready responded 200 in ", StringComparison.Ordinal)).Line;
                var inHost = readyLine is null ? "-" : readyLine[(readyLine.LastIndexOf(" in ", StringComparison.Ordinal) + 4)..].Trim();
                var nlu = _log.FirstOrDefault(l => l.Line.Contains("NLU model trained", StringComparison.OrdinalIgnoreCase) || l.Line.Contains("model trained", StringComparison.OrdinalIgnoreCase));
                return $"first log line {(lines.Count > 0 ? lines[0].Ms.ToString("F0", C) + " ms" : "-")}, Kestrel listening {At("Now listening on")}, application started {At("Application started")}, first ready request inside the host {inHost}, "
                    + $"NLU model ready {(nlu.Line is null ? "not logged yet" : nlu.Ms.ToString("F0", C) + " ms (" + nlu.Line.Trim()[Math.Max(0, nlu.Line.Trim().Length - 60)..] + ")")}";
            }
        }

        public static async Task<Host> StartAsync(string dll, string graphBaseUrl)
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
            psi.Environment["WhatsApp__AppSecret"] = WhatsAppGuest.AppSecret;
            psi.Environment["WhatsApp__VerifyToken"] = "bench-verify";
            psi.Environment["WhatsApp__AccessToken"] = "bench-token";
            psi.Environment["WhatsApp__PhoneNumberId"] = WhatsAppGuest.PhoneNumberId;
            psi.Environment["WhatsApp__GraphBaseUrl"] = graphBaseUrl;
            psi.Environment["WhatsApp__MessagesPerSecond"] = "1000";
            psi.Environment["WhatsApp__MessagesBurst"] = "1000";
            psi.Environment["RateLimit__Burst"] = "10000";
            psi.Environment["RateLimit__PerMinute"] = "100000";
            psi.Environment["Dialog__RepetitionLimit"] = "20";
            psi.Environment["Dialog__RepetitionSimilarity"] = "1.0";
            psi.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
            if (string.Equals(Environment.GetEnvironmentVariable("Durable__Backend"), "AzureStorage", StringComparison.OrdinalIgnoreCase)
                && Environment.GetEnvironmentVariable("Durable__TaskHub") is null)
            {
                // A task hub per start: otherwise each start waits for the previous (killed) process's partition leases
                // to expire (Durable__AzureStorage__LeaseInterval, 30 s) and times that instead of its own start-up.
                psi.Environment["Durable__TaskHub"] = "BenchStart" + Guid.NewGuid().ToString("N")[..12];
            }

            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
            var log = new List<(double Ms, string Line)>();
            var sw = Stopwatch.StartNew();
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (log)
                    {
                        if (log.Count < 200)
                        {
                            log.Add((sw.Elapsed.TotalMilliseconds, e.Data));
                        }
                    }
                }
            };
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

                await Task.Delay(5);
            }

            var ready = sw.Elapsed.TotalMilliseconds;
            await Task.Delay(300); // let the log lines of the start arrive for the breakdown
            return new Host(process, dataDir, baseAddress, ready, log);
        }

        public long RssKb() => Status("VmRSS:");

        /// <summary>
        /// Resident memory by kind of mapping, from <c>/proc/pid/smaps</c>: anonymous memory (GC heap, native allocations
        /// such as SQLite page caches, thread stacks), the runtime's double-mapped JIT code (<c>memfd:doublemapper</c>,
        /// W^X), the brk heap, shared libraries, and assemblies (the app's folder vs the shared framework).
        /// </summary>
        public string RssByMapping()
        {
            var kb = new Dictionary<string, long>(StringComparer.Ordinal);
            var current = "anon";
            try
            {
                foreach (var line in File.ReadLines($"/proc/{_process.Id}/smaps"))
                {
                    if (line.StartsWith("Rss:", StringComparison.Ordinal))
                    {
                        kb[current] = kb.GetValueOrDefault(current) + long.Parse(line[4..].Trim().Split(' ')[0], C);
                        continue;
                    }

                    var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 5 || parts[0].EndsWith(':') || !parts[0].Contains('-', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var name = parts.Length > 5 ? parts[5].Trim() : string.Empty;
                    current = name switch
                    {
                        "" => "anon",
                        "[heap]" => "brk heap",
                        _ when name.Contains("doublemapper", StringComparison.Ordinal) => "JIT code (doublemapper)",
                        _ when name.EndsWith(".dll", StringComparison.Ordinal) && name.Contains("/shared/Microsoft.", StringComparison.Ordinal) => "framework DLLs",
                        _ when name.EndsWith(".dll", StringComparison.Ordinal) => "app+NuGet DLLs",
                        _ when name.Contains(".so", StringComparison.Ordinal) => "native .so",
                        _ => "other",
                    };
                }
            }
            catch (IOException)
            {
                return "n/a";
            }

            return string.Join(", ", kb.OrderByDescending(k => k.Value).Select(k => string.Create(C, $"{k.Key} {k.Value / 1024.0:F1}"))) + " MiB";
        }

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
