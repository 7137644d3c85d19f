using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Security;
using HotelAgent.Tests.Fakes.Channels;
using Xunit.Abstractions;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Issue 20's memory probes against the host as a separate process (its RSS measured from /proc before, during and after):
/// 29 MB unsigned webhooks, a signed 20 MB text, endless chunked bodies and 5 MB web-chat names all get 401/413, and the
/// process grows by less than <see cref="GrowthBound"/>: the host promises to hold at most one
/// <see cref="InputLimits.MaxWebhookBodyBytes"/> buffer per request in flight (16 here), plus runtime slack.
/// </summary>
public sealed class OversizeReliabilityTests(ITestOutputHelper output)
{
    private const long GrowthBound = 64L * 1024 * 1024;

    [Fact]
    public async Task Oversized_bodies_are_refused_without_memory_growth()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-oversize-" + Guid.NewGuid().ToString("N"));
        using var host = new ChildHost(dataDirectory, graph);
        try
        {
            await host.StartAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

            // Warm-up: every path once, so JIT and first-use allocations are in the baseline.
            await AttackAsync(http, rounds: 1);
            var before = host.ResidentBytes();
            var dataBefore = DirectorySize(dataDirectory);

            var peak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, host.ResidentBytes());
                    await Task.Delay(10);
                }
            });
            var statuses = await AttackAsync(http, rounds: 3);
            await sampling.CancelAsync();
            await sampler;
            var after = host.ResidentBytes();

            output.WriteLine($"RSS baseline {before / 1048576.0:F1} MiB, peak +{(peak - before) / 1048576.0:F1} MiB, after +{(after - before) / 1048576.0:F1} MiB; statuses: "
                + string.Join(", ", statuses.GroupBy(s => s?.ToString() ?? "closed").Select(g => $"{g.Key} x{g.Count()}")));
            Assert.All(statuses, s => Assert.Contains(s, new HttpStatusCode?[] { HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, null }));
            Assert.Contains(HttpStatusCode.RequestEntityTooLarge, statuses);
            Assert.Contains(HttpStatusCode.Unauthorized, statuses);
            Assert.True(peak - before < GrowthBound, $"RSS peaked {(peak - before) / 1048576.0:F1} MiB above the baseline ({before / 1048576.0:F1} MiB)");
            Assert.True(after - before < GrowthBound, $"RSS grew {(after - before) / 1048576.0:F1} MiB");
            Assert.True(DirectorySize(dataDirectory) - dataBefore < 1024 * 1024, "the data folder grew");
        }
        finally
        {
            host.Kill();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One round: 8 concurrent unsigned 29 MB webhooks, 4 endless chunked ones with a signature, a signed 20 MB text, ten 5 MB names.</summary>
    private static async Task<List<HttpStatusCode?>> AttackAsync(HttpClient http, int rounds)
    {
        var statuses = new List<HttpStatusCode?>();
        for (var round = 0; round < rounds; round++)
        {
            var requests = new List<Func<Task<HttpStatusCode?>>>();
            for (var i = 0; i < 8; i++)
            {
                requests.Add(() => SendAsync(http, "/api/webhooks/whatsapp", new RepeatedContent(29_000_000, declared: true), signature: null));
            }

            for (var i = 0; i < 4; i++)
            {
                requests.Add(() => SendAsync(http, "/api/webhooks/whatsapp", new RepeatedContent(29_000_000, declared: false), signature: "sha256=" + new string('a', 64)));
            }

            requests.Add(() => SendAsync(http, "/api/webhooks/whatsapp", new RepeatedContent(20_000_000, declared: true), RepeatedContent.Sign(20_000_000, ChildHost.AppSecret)));
            for (var i = 0; i < 10; i++)
            {
                var session = $"big-name-{round}-{i:D4}";
                requests.Add(() => SendAsync(http, $"/api/webchat/{session}/messages", new RepeatedContent(5_000_000, declared: true, prefix: "{\"text\":\"hola\",\"name\":\"", suffix: "\"}"), signature: null));
            }

            statuses.AddRange(await Task.WhenAll(requests.Select(r => r())));
        }

        return statuses;
    }

    /// <summary>The status, or null when the server closed the connection while the client was still sending (also a refusal).</summary>
    private static async Task<HttpStatusCode?> SendAsync(HttpClient http, string path, HttpContent content, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.ExpectContinue = true;
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static long DirectorySize(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    /// <summary>A large body written from one small buffer (the test itself holds no big arrays).</summary>
    private sealed class RepeatedContent : HttpContent
    {
        private static readonly byte[] Chunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
        private readonly long _length;
        private readonly bool _declared;
        private readonly byte[] _prefix;
        private readonly byte[] _suffix;

        public RepeatedContent(long length, bool declared, string prefix = "", string suffix = "")
        {
            _prefix = Encoding.UTF8.GetBytes(prefix);
            _suffix = Encoding.UTF8.GetBytes(suffix);
            _length = length;
            _declared = declared;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        /// <summary>The real signature of <paramref name="length"/> repeated bytes (computed chunk by chunk).</summary>
        public static string Sign(long length, string secret)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
            for (var left = length; left > 0; left -= Chunk.Length)
            {
                hmac.AppendData(Chunk, 0, (int)Math.Min(Chunk.Length, left));
            }

            return "sha256=" + Convert.ToHexStringLower(hmac.GetHashAndReset());
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_prefix);
            for (var left = _length; left > 0; left -= Chunk.Length)
            {
                await stream.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, left)));
            }

            await stream.WriteAsync(_suffix);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _prefix.Length + _length + _suffix.Length;
            return _declared;
        }
    }
}
