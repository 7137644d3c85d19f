using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Cli.Commands;

/// <summary>
/// <c>hotel-agent stats [--from YYYY-MM-DD] [--to YYYY-MM-DD]</c>: the interaction statistics of
/// <c>GET /api/staff/stats</c> as a table (standalone: staff bearer key; Azure: a function key).
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base URL of HotelAgent", DefaultValueFactory = _ => "http://127.0.0.1:7071" };
        var key = new Option<string?>("--key") { Description = "Staff API key (or function key); default env HOTELAGENT_STAFF_KEY, then the dev key" };
        var from = new Option<string?>("--from") { Description = "First day (YYYY-MM-DD); default 7 days ago" };
        var to = new Option<string?>("--to") { Description = "Last day (YYYY-MM-DD); default today" };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var command = new Command("stats", "Per-day messages, intents, bookings, conversions, handoff rate, revenue of live bookings and cancellations") { url, key, from, to, json };
        command.SetAction(async (parse, ct) =>
        {
            using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
            using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
            var apiKey = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("HOTELAGENT_STAFF_KEY") ?? "dev-staff-key";
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            http.DefaultRequestHeaders.Add("x-functions-key", apiKey);
            var query = string.Join('&', new[] { ("from", parse.GetValue(from)), ("to", parse.GetValue(to)) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
            using var response = await http.GetAsync($"{parse.GetValue(url)!.TrimEnd('/')}/api/staff/stats?{query}", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"error {(int)response.StatusCode}: {body}");
                return 1;
            }

            await Console.Out.WriteAsync(parse.GetValue(json) ? body + Environment.NewLine : Render(body));
            return 0;
        });
        return command;
    }

    /// <summary>Renders the stats JSON as a small fixed-width table.</summary>
    public static string Render(string statsJson)
    {
        using var doc = JsonDocument.Parse(statsJson);
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{"date",-12}{"messages",9}{"convs",7}{"bookings",9}{"conv.%",8}{"handoffs",9}{"revenue",14}{"cancelled",10}{"cancel. rev.",14}  top intents");
        foreach (var day in doc.RootElement.GetProperty("days").EnumerateArray().Append(doc.RootElement.GetProperty("totals")))
        {
            var label = day.TryGetProperty("date", out var d) ? d.GetString() : "total";
            var intents = string.Join(", ", day.GetProperty("byIntent").EnumerateObject().OrderByDescending(p => p.Value.GetInt32()).Take(3).Select(p => $"{p.Name} {p.Value.GetInt32()}"));
            w.WriteLine(
                $"{label,-12}{day.GetProperty("messages").GetInt32(),9}{day.GetProperty("conversations").GetInt32(),7}{day.GetProperty("bookings").GetInt32(),9}"
                + $"{day.GetProperty("conversions").GetDouble() * 100,7:0.0}%{day.GetProperty("handoffs").GetInt32(),9}{day.GetProperty("revenue").GetDecimal(),14:0}"
                + $"{Int(day, "cancelledBookings"),10}{Decimal(day, "cancelledRevenue"),14:0}  {intents}");
        }

        w.WriteLine("revenue: live bookings only, at their latest amount; cancelled bookings are counted apart.");
        return w.ToString();
    }

    // Older servers do not send the cancelled figures: read them as zero.
    private static int Int(JsonElement day, string name) => day.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    private static decimal Decimal(JsonElement day, string name) => day.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : 0m;
}
