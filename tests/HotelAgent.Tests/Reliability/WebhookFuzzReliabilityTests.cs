using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Thousands of random and mutated (but correctly signed) Cloud API bodies: the parser throws only
/// <see cref="WhatsAppPayloadException"/>, and the real host answers only 200 or 400 — never 5xx.
/// </summary>
public sealed class WebhookFuzzReliabilityTests
{
    [Fact]
    public void Parser_throws_only_payload_exceptions_on_thousands_of_fuzzed_bodies()
    {
        var fuzzer = new WebhookFuzzer(seed: 9001);
        var unexpected = new List<string>();
        int parsed = 0, rejected = 0;
        for (var i = 0; i < 4000; i++)
        {
            var bytes = fuzzer.Next();
            var body = Encoding.UTF8.GetString(bytes);
            try
            {
                _ = WhatsAppWebhookParser.Parse(body);
                parsed++;
            }
            catch (WhatsAppPayloadException)
            {
                rejected++;
            }
#pragma warning disable CA1031 // The point of the test: any other exception is a finding.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                unexpected.Add($"#{i} {ex.GetType().Name}: {ex.Message} :: {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected.Take(10)));
        Assert.True(parsed > 100 && rejected > 100, $"fuzzer too one-sided: parsed {parsed}, rejected {rejected}");
    }

    [Fact]
    public async Task Host_answers_only_200_or_400_to_hundreds_of_signed_fuzzed_deliveries()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = await StandaloneHost.StartAsync(ConversationEndToEndTests.Settings(graph));
        using var client = host.CreateClient();
        var fuzzer = new WebhookFuzzer(seed: 4242);
        var bad = new List<string>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 300; i++)
        {
            var bytes = fuzzer.Next();
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.TryAddWithoutValidation("X-Hub-Signature-256", WhatsAppSignature.Compute(bytes, StandaloneHost.AppSecret));
            using var response = await client.PostAsync("/api/webhooks/whatsapp", content);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
            {
                bad.Add($"#{i} {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)])}");
            }
        }

        Assert.True(bad.Count == 0, string.Join('\n', bad.Take(10)));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 10 && statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 10, string.Join(", ", statuses));

        // Still alive and answering real guests afterwards.
        var guest = new GuestSimulator(host, graph, "5491155559900");
        Assert.NotEmpty(await guest.SayAsync("Hola!"));
    }
}
