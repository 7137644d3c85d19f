using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Bench.GuestTurn;

/// <summary>
/// Minimal loopback fake of the WhatsApp Cloud API send endpoint: records the Stopwatch timestamp of every
/// <c>POST /{version}/{phoneId}/messages</c> per recipient (read receipts are counted separately) and answers
/// Meta's success shape.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, GuestInbox> _inboxes = new(StringComparer.Ordinal);
    private long _counter;
    private long _readReceipts;

    private FakeGraph(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public long ReadReceipts => Interlocked.Read(ref _readReceipts);

    public long Sends => Interlocked.Read(ref _counter);

    public GuestInbox Inbox(string waId) => _inboxes.GetOrAdd(waId, _ => new GuestInbox());

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeGraph(app);
        app.MapPost("/{version}/{phoneId}/messages", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var at = Stopwatch.GetTimestamp();
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        var root = doc.RootElement;
        if (root.TryGetProperty("status", out var status) && status.GetString() == "read")
        {
            Interlocked.Increment(ref _readReceipts);
            await context.Response.WriteAsync("{\"success\":true}");
            return;
        }

        var to = root.TryGetProperty("to", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        var n = Interlocked.Increment(ref _counter);
        Inbox(to.TrimStart('+')).Add(at, TextOf(root));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\"" + to.TrimStart('+') + "\"}],\"messages\":[{\"id\":\"wamid.BENCH" + n + "\"}]}");
    }

    /// <summary>The guest-visible text of a send (text body or interactive body), for checking the conversation stays on script.</summary>
    private static string TextOf(JsonElement root) =>
        root.TryGetProperty("text", out var text) && text.TryGetProperty("body", out var body) ? body.GetString() ?? string.Empty
        : root.TryGetProperty("interactive", out var interactive) && interactive.TryGetProperty("body", out var ib) && ib.TryGetProperty("text", out var it) ? it.GetString() ?? string.Empty
        : string.Empty;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Send timestamps for one recipient, in arrival order, awaitable by index.</summary>
public sealed class GuestInbox
{
    private readonly Lock _gate = new();
    private readonly List<long> _timestamps = [];
    private readonly List<string> _texts = [];
    private readonly List<(int Index, TaskCompletionSource<long> Tcs)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _timestamps.Count;
            }
        }
    }

    /// <summary>Texts of the sends from <paramref name="index"/> on.</summary>
    public IReadOnlyList<string> TextsFrom(int index)
    {
        lock (_gate)
        {
            return _texts.Skip(index).ToList();
        }
    }

    public void Add(long timestamp, string text)
    {
        List<TaskCompletionSource<long>> ready = [];
        lock (_gate)
        {
            _timestamps.Add(timestamp);
            _texts.Add(text);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Index < _timestamps.Count)
                {
                    ready.Add(_waiters[i].Tcs);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var tcs in ready)
        {
            tcs.TrySetResult(timestamp);
        }
    }

    /// <summary>Timestamp of the send with zero-based <paramref name="index"/>, when it arrives.</summary>
    public Task<long> WaitAsync(int index)
    {
        lock (_gate)
        {
            if (index < _timestamps.Count)
            {
                return Task.FromResult(_timestamps[index]);
            }

            var tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((index, tcs));
            return tcs.Task;
        }
    }
}
