using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Cli.Commands;

/// <summary>
/// <c>hotel-agent chat</c>: talk to a running standalone HotelAgent from the terminal, through the same
/// web chat channel (and so the same inbound path as WhatsApp) as the page at <c>/</c>.
/// </summary>
public static class ChatCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base URL of the standalone host", DefaultValueFactory = _ => "http://127.0.0.1:7071" };
        var session = new Option<string?>("--session") { Description = "Chat session id (default: a new one)" };
        var name = new Option<string?>("--name") { Description = "Your display name" };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for replies after each message", DefaultValueFactory = _ => 5 };
        var command = new Command("chat", "Chat with the receptionist in the terminal (standalone host must be running)") { url, session, name, wait };
        command.SetAction(async (parse, ct) =>
        {
            using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
            using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
            http.BaseAddress = new Uri(parse.GetValue(url)!.TrimEnd('/') + "/");
            var client = new ChatClient(http, parse.GetValue(session) ?? "cli-" + Guid.NewGuid().ToString("N")[..12], parse.GetValue(name));
            Console.WriteLine("Escribí tu mensaje (Ctrl+D para salir).");
            return await client.RunAsync(Console.In, Console.Out, TimeSpan.FromSeconds(parse.GetValue(wait)), ct);
        });
        return command;
    }
}

/// <summary>The terminal chat loop, testable with any reader/writer and HTTP client.</summary>
public sealed class ChatClient(HttpClient http, string sessionId, string? displayName)
{
    private long _after;

    public string SessionId => sessionId;

    public async Task<int> RunAsync(TextReader input, TextWriter output, TimeSpan replyWait, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var posted = await http.PostAsJsonAsync($"api/webchat/{sessionId}/messages", new { text = line.Trim(), name = displayName }, cancellationToken);
            if (!posted.IsSuccessStatusCode)
            {
                await output.WriteLineAsync($"(error {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync(cancellationToken)})");
                return 1;
            }

            await PrintRepliesAsync(output, replyWait, cancellationToken);
        }

        return 0;
    }

    /// <summary>Waits for the first reply, then drains any that follow shortly after.</summary>
    public async Task PrintRepliesAsync(TextWriter output, TimeSpan wait, CancellationToken cancellationToken)
    {
        var waitSeconds = (int)Math.Ceiling(wait.TotalSeconds);
        while (true)
        {
            var replies = await http.GetFromJsonAsync<JsonElement[]>($"api/webchat/{sessionId}/messages?after={_after}&waitSeconds={waitSeconds}", cancellationToken) ?? [];
            if (replies.Length == 0)
            {
                return;
            }

            foreach (var reply in replies)
            {
                _after = Math.Max(_after, reply.GetProperty("sequence").GetInt64());
                var text = reply.GetProperty("text").GetString();
                await output.WriteLineAsync("🛎️  " + text);

                // A terminal cannot draw buttons: options are numbered lines (typing the number picks one), unless the
                // text already lists them (then its body, the text without those lines, differs from it).
                if (reply.TryGetProperty("body", out var body) && body.GetString() != text)
                {
                    continue;
                }

                var index = 1;
                foreach (var option in reply.GetProperty("options").EnumerateArray())
                {
                    await output.WriteLineAsync($"    {index++}. {option.GetProperty("title").GetString()}");
                }
            }

            waitSeconds = 1;
        }
    }
}
