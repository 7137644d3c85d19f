using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Property-based fuzzing (FsCheck, fixed seeds so CI runs the same bounded cases every time; a failure is shrunk to a
/// small body): the parser throws only <see cref="WhatsAppPayloadException"/> and never drops a valid message; the real
/// host answers signed bodies only 200 or 400 (never 5xx) and tampered signatures 401.
/// </summary>
public sealed class WebhookFuzzReliabilityTests
{
    private const string ParserSeed = "(9001,4242001)";

    [Property(MaxTest = 2000, Replay = ParserSeed)]
    public Property Parser_throws_only_payload_exceptions_on_fuzzed_bodies() =>
        Prop.ForAll(WebhookBodies.Fuzzed(), body => ParsedOrRejected(body) is not null);

    [Fact]
    public void Fuzzed_bodies_exercise_both_the_parsed_and_the_rejected_path()
    {
        var outcomes = Gen.Sample(WebhookBodies.FuzzedGen, 400, new Rnd(9001UL, 4242001UL), 50).Select(ParsedOrRejected).ToList();
        Assert.Equal(400, outcomes.Count);
        var parsed = outcomes.Count(o => o == "parsed");
        var rejected = outcomes.Count(o => o == "rejected");
        Assert.True(parsed > 40 && rejected > 40, $"the generators are too one-sided: parsed {parsed}, rejected {rejected}");
    }

    [Property(MaxTest = 300, Replay = ParserSeed)]
    public Property Parser_keeps_every_message_of_a_valid_delivery() =>
        Prop.ForAll(WebhookBodies.ValidTexts(), texts =>
        {
            var batch = WhatsAppWebhookParser.Parse(WebhookBodies.Delivery(texts));
            Assert.Equal(texts.Select(t => (t.Wamid, t.Text)), batch.Messages.Select(m => (m.ProviderMessageId, m.Text)));
            Assert.All(batch.Messages, m => Assert.False(string.IsNullOrEmpty(m.GuestId)));
        });

    [Fact]
    public async Task Host_answers_only_200_or_400_to_signed_fuzzed_deliveries_and_401_to_tampered_signatures()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = await StandaloneHost.StartAsync(ConversationEndToEndTests.Settings(graph));
        using var client = host.CreateClient();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();

        // Off xunit's synchronization context: FsCheck runs the (blocking) property bodies on this thread-pool thread.
        await Task.Run(() =>
        {
            Check.One(Bounded(300, 4242), Prop.ForAll(WebhookBodies.Fuzzed(), body =>
            {
                var status = Post(client, body.Bytes, WhatsAppSignature.Compute(body.Bytes, StandaloneHost.AppSecret));
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                return status is HttpStatusCode.OK or HttpStatusCode.BadRequest;
            }));

            var tampering = Gen.Elements(Enum.GetValues<Tampering>()).ToArbitrary();
            Check.One(Bounded(100, 4343), Prop.ForAll(WebhookBodies.Fuzzed(), tampering, (body, how) =>
                Post(client, body.Bytes, Tamper(body.Bytes, how)) == HttpStatusCode.Unauthorized));
        });

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 10 && statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 10, string.Join(", ", statuses));

        // Still alive and answering real guests afterwards.
        var guest = new GuestSimulator(host, graph, "5491155559900");
        Assert.NotEmpty(await guest.SayAsync("Hola!"));
    }

    private enum Tampering
    {
        WrongSecret,
        Missing,
        Empty,
        NoPrefix,
        Truncated,
        FlippedCharacter,
        OtherBody,
    }

    private static string? Tamper(byte[] body, Tampering how)
    {
        var good = WhatsAppSignature.Compute(body, StandaloneHost.AppSecret);
        return how switch
        {
            Tampering.WrongSecret => WhatsAppSignature.Compute(body, StandaloneHost.AppSecret + "x"),
            Tampering.Missing => null,
            Tampering.Empty => string.Empty,
            Tampering.NoPrefix => good["sha256=".Length..],
            Tampering.Truncated => good[..^1],
            Tampering.FlippedCharacter => good[..^1] + (good[^1] == '0' ? '1' : '0'),
            _ => WhatsAppSignature.Compute([.. body, (byte)' '], StandaloneHost.AppSecret),
        };
    }

    /// <summary>A fixed number of cases from a fixed seed: the same bounded run on every machine.</summary>
    private static Config Bounded(int cases, ulong seed) =>
        Config.QuickThrowOnFailure.WithMaxTest(cases).WithReplay(new Replay(new Rnd(seed, 4242001UL), null));

    private static HttpStatusCode Post(HttpClient client, byte[] body, string? signature)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            content.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        }

        using var response = client.PostAsync("/api/webhooks/whatsapp", content).GetAwaiter().GetResult();
        return response.StatusCode;
    }

    /// <summary>"parsed" or "rejected"; any other exception propagates and fails the property.</summary>
    private static string ParsedOrRejected(WebhookBody body)
    {
        try
        {
            _ = WhatsAppWebhookParser.Parse(Encoding.UTF8.GetString(body.Bytes));
            return "parsed";
        }
        catch (WhatsAppPayloadException)
        {
            return "rejected";
        }
    }
}
