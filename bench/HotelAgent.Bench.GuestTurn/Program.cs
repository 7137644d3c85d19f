using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Bench.GuestTurn;

/// <summary>
/// Guest-turn benchmark: the standalone host in process (real Kestrel, SQLite, embedded PMS, no LLM) driven by signed
/// WhatsApp webhooks; latency = webhook HTTP 200 received → reply POSTed to a loopback fake Graph API.
/// Usage: dotnet run -c Release --project bench/HotelAgent.Bench.GuestTurn [-- secondsPerLevel [WhatsApp__MessagesPerSecond]]
/// (durable backend: SQLite, or <c>Durable__Backend=AzureStorage AzureWebJobsStorage=...</c> in the environment).
/// </summary>
public static class Program
{
    private const string AppSecret = "bench-app-secret";
    private const string PhoneNumberId = "106540352242922";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], C) : 8;
        // WhatsApp__MessagesPerSecond (default 20, Meta allows ~80) paces every outbound send; the bench raises it so the
        // engine is measured, pass a second argument (e.g. 20) to measure with the product default.
        var pacing = args.Length > 1 ? args[1] : "1000";
        // FAQ questions answered from the hotel profile with a single message; rotated so turns are distinct.
        string[] texts = ["¿A qué hora es el desayuno?", "¿Tienen wifi?", "¿Cuál es la hora del check-out?", "¿Aceptan mascotas?", "¿Tienen estacionamiento?", "¿A qué hora es el check-in?"];
        var dataDir = Path.Combine(Path.GetTempPath(), "hotelagent-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        await using var graph = await FakeGraph.StartAsync();
        var app = HotelAgentApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development"], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HotelAgent:DataDirectory"] = dataDir,
                ["WhatsApp:AppSecret"] = AppSecret,
                ["WhatsApp:VerifyToken"] = "bench-verify",
                ["WhatsApp:AccessToken"] = "bench-token",
                ["WhatsApp:PhoneNumberId"] = PhoneNumberId,
                ["WhatsApp:GraphBaseUrl"] = graph.BaseUrl,
                ["Staff:ApiKey"] = "bench-staff",
                ["WhatsApp:MessagesPerSecond"] = pacing,
                ["WhatsApp:MessagesBurst"] = pacing == "1000" ? "1000" : "20",
                ["RateLimit:Burst"] = "10000",
                ["RateLimit:PerMinute"] = "100000",
                ["Logging:LogLevel:Default"] = "Error",
                // the bench repeats questions; keep the repetition hand-off out of the way
                ["Dialog:RepetitionLimit"] = "20",
                ["Dialog:RepetitionSimilarity"] = "1.0",
            }));
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };

        // The durable backend comes from the environment: Durable__Backend=AzureStorage with AzureWebJobsStorage (Azurite).
        var backend = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HotelAgent.Core.Orchestration.DurableOptions>>().Value.Backend;
        Console.WriteLine(string.Create(C, $"guest-turn bench: durable backend {backend}, {Environment.ProcessorCount} cores, {texts.Length} rotating FAQ questions, {seconds:F0} s per level, WhatsApp__MessagesPerSecond={pacing}, host {baseUrl}, fake Graph {graph.BaseUrl}"));

        // Probe: how many sends does one turn produce (first turn and steady state)?
        var probe = new Guest(http, graph, "34600000000");
        var first = await probe.ProbeAsync("Hola");
        Console.WriteLine(string.Create(C, $"probe: first turn \"Hola\" {first} send(s)"));
        foreach (var t in texts)
        {
            var sends = await probe.ProbeAsync(t);
            Console.WriteLine(string.Create(C, $"probe: \"{t}\" {sends} send(s)"));
        }

        const int perTurn = 1;

        var summary = new List<string>();
        foreach (var concurrency in new[] { 1, 10, 100 })
        {
            var guests = Enumerable.Range(0, concurrency).Select(i => new Guest(http, graph, (34611000000L + (concurrency * 1000) + i).ToString(C))).ToArray();
            // warm-up: open every conversation (first turn differs) and JIT the paths
            await Task.WhenAll(guests.Select(g => g.ProbeAsync("Hola")));
            await Task.WhenAll(guests.Select(g => g.ProbeAsync(texts[1])));

            var baseline = await RunAsync(concurrency, seconds / 2, async () =>
            {
                var t0 = Stopwatch.GetTimestamp();
                using var r = await http.GetAsync("/api/health/live", HttpCompletionOption.ResponseHeadersRead);
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException("live " + r.StatusCode);
                }

                return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }, i => i);

            var negatives = 0;
            // Thread-pool threads vs queued work: a long queue with idle CPU means something blocks pool threads.
            using var samplerStop = new CancellationTokenSource();
            var poolSamples = new List<(int Threads, long Queued)>();
            var sampler = Task.Run(async () =>
            {
                while (!samplerStop.IsCancellationRequested)
                {
                    poolSamples.Add((ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
                    await Task.Delay(50);
                }
            });
            var alloc0 = GC.GetTotalAllocatedBytes();
            var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var counters0 = Counters.Snapshot();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var wall0 = Stopwatch.GetTimestamp();
            var turns = await RunAsync(concurrency, seconds, async () => 0, i => i, guests, perTurn, texts, () => Interlocked.Increment(ref negatives));
            Report($"{concurrency,3} concurrent", turns.Latencies, baseline.Latencies, turns.Count / turns.Seconds, baseline.Count / baseline.Seconds, turns.Errors, summary);
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var cpuShare = cpuSeconds / (Stopwatch.GetElapsedTime(wall0).TotalSeconds * Environment.ProcessorCount);
            var cpuPerTurn = cpuSeconds * 1000 / Math.Max(1, turns.Count);
            await samplerStop.CancelAsync();
            await sampler;
            var line = string.Create(C, $"    process CPU during the turn phase: {cpuShare:P0} of {Environment.ProcessorCount} cores, {cpuPerTurn:F1} ms CPU per turn (host + bench client + fake Graph in one process) → CPU-bound ceiling ≈ {Environment.ProcessorCount * 1000 / cpuPerTurn:F0} msg/s; thread pool avg {poolSamples.Average(p => p.Threads):F1} threads, {poolSamples.Average(p => p.Queued):F1} queued items");
            Console.WriteLine(line);
            summary.Add(line);
            var counters = Counters.Snapshot();
            var perTurn1 = Math.Max(1, turns.Count);
            var counterText = string.Join(", ", counters.OrderBy(kv => kv.Key).Select(kv => string.Create(C, $"{kv.Key.Replace("hotelagent.", "")} {(kv.Value - counters0.GetValueOrDefault(kv.Key)) / (double)perTurn1:F2}")));
            var line2 = string.Create(C, $"    per turn: {(GC.GetTotalAllocatedBytes() - alloc0) / 1024.0 / perTurn1:F0} KiB allocated; GCs gen0/1/2 {GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}; {counterText}");
            Console.WriteLine(line2);
            summary.Add(line2);
            if (negatives > 0)
            {
                Console.WriteLine($"    ({negatives} replies arrived before the webhook's 200 was read; counted as 0 ms)");
            }
        }

        Console.WriteLine();
        Console.WriteLine("summary:");
        foreach (var line in summary)
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine(string.Create(C, $"fake Graph: {graph.Sends} sends, {graph.ReadReceipts} read receipts"));
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private sealed record Result(List<double> Latencies, int Count, double Seconds, int Errors);

    private static async Task<Result> RunAsync(int concurrency, double seconds, Func<Task<double>> op, Func<int, int> _)
    {
        var latencies = new List<double>();
        var gate = new Lock();
        var errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var local = new List<double>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                try
                {
                    local.Add(await op());
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            lock (gate)
            {
                latencies.AddRange(local);
            }
        }));
        return new Result(latencies, latencies.Count, sw.Elapsed.TotalSeconds, errors);
    }

    private static async Task<Result> RunAsync(int concurrency, double seconds, Func<Task<double>> _, Func<int, int> __, Guest[] guests, int perTurn, string[] texts, Action negative)
    {
        var latencies = new List<double>();
        var gate = new Lock();
        var errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(guests.Select(async g =>
        {
            var local = new List<double>();
            var n = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var ms = await g.TurnAsync(texts[n++ % texts.Length], perTurn);
                if (ms is null)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                if (ms < 0)
                {
                    negative();
                    ms = 0;
                }

                local.Add(ms.Value);
            }

            lock (gate)
            {
                latencies.AddRange(local);
            }
        }));
        return new Result(latencies, latencies.Count, sw.Elapsed.TotalSeconds, errors);
    }

    private static void Report(string label, List<double> turn, List<double> baseline, double turnRate, double baseRate, int errors, List<string> summary)
    {
        turn.Sort();
        baseline.Sort();
        double P(List<double> l, double p) => l.Count == 0 ? double.NaN : l[Math.Min(l.Count - 1, (int)Math.Ceiling(p * l.Count) - 1)];
        var line = string.Create(C,
            $"{label}: turns={turn.Count} errors={errors} p50={P(turn, .50):F2} p95={P(turn, .95):F2} p99={P(turn, .99):F2} ms, {turnRate:F0} msg/s | " +
            $"baseline GET /api/health/live p50={P(baseline, .50):F2} p95={P(baseline, .95):F2} p99={P(baseline, .99):F2} ms, {baseRate:F0} req/s | " +
            $"ratio p50 x{P(turn, .50) / P(baseline, .50):F1} p95 x{P(turn, .95) / P(baseline, .95):F1} p99 x{P(turn, .99) / P(baseline, .99):F1} throughput x{turnRate / baseRate:F3}");
        Console.WriteLine(line);
        summary.Add(line);
    }

    /// <summary>One WhatsApp guest: posts signed text webhooks and waits for the fake Graph to receive the reply.</summary>
    private sealed class Guest(HttpClient http, FakeGraph graph, string waId)
    {
        private readonly GuestInbox _inbox = graph.Inbox(waId);

        /// <summary>Sends <paramref name="text"/>, waits until sends stop for 300 ms, returns how many arrived.</summary>
        public async Task<int> ProbeAsync(string text)
        {
            var before = _inbox.Count;
            await PostAsync(text);
            var last = before;
            var quiet = Stopwatch.StartNew();
            while (quiet.ElapsedMilliseconds < 300 || _inbox.Count == before)
            {
                await Task.Delay(20);
                if (_inbox.Count != last)
                {
                    last = _inbox.Count;
                    quiet.Restart();
                }

                if (quiet.Elapsed > TimeSpan.FromSeconds(10))
                {
                    break;
                }
            }

            return _inbox.Count - before;
        }

        /// <summary>One turn: ms from the webhook's 200 to the first reply send; waits for all <paramref name="perTurn"/> sends.</summary>
        public async Task<double?> TurnAsync(string text, int perTurn)
        {
            var before = _inbox.Count;
            var accepted = await PostAsync(text);
            if (accepted is null)
            {
                return null;
            }

            var firstReply = _inbox.WaitAsync(before);
            if (await Task.WhenAny(firstReply, Task.Delay(10_000)) != firstReply)
            {
                return null;
            }

            var all = _inbox.WaitAsync(before + perTurn - 1);
            await Task.WhenAny(all, Task.Delay(2_000));
            return Stopwatch.GetElapsedTime(accepted.Value, firstReply.Result).TotalMilliseconds * (firstReply.Result >= accepted.Value ? 1 : -1);
        }

        private async Task<long?> PostAsync(string text)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(C);
            var wamid = "wamid.HBgN" + Guid.NewGuid().ToString("N").ToUpperInvariant();
            var body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"5491140001234\",\"phone_number_id\":\""
                + PhoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Lucía Gómez\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]},\"field\":\"messages\"}]}]}";
            var bytes = Encoding.UTF8.GetBytes(body);
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            content.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), bytes)));
            using var response = await http.PostAsync("/api/webhooks/whatsapp", content);
            var at = Stopwatch.GetTimestamp();
            return response.StatusCode == HttpStatusCode.OK ? at : null;
        }
    }
}

/// <summary>Sums of the durable and storage counters (MeterListener).</summary>
internal static class Counters
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> Totals = new();
    private static readonly System.Diagnostics.Metrics.MeterListener Listener = Start();

    private static System.Diagnostics.Metrics.MeterListener Start()
    {
        var l = new System.Diagnostics.Metrics.MeterListener();
        l.InstrumentPublished = (i, ml) =>
        {
            if (i.Meter.Name is "HotelAgent.Durable" or "HotelAgent.Storage")
            {
                ml.EnableMeasurementEvents(i);
            }
        };
        l.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            var key = i.Name;
            foreach (var t in tags)
            {
                key += "[" + t.Value + "]";
            }

            Totals.AddOrUpdate(key, v, (_, o) => o + v);
        });
        l.Start();
        return l;
    }

    public static Dictionary<string, long> Snapshot()
    {
        _ = Listener;
        return new Dictionary<string, long>(Totals);
    }
}
