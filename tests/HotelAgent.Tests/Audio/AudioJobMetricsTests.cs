using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Audio;

/// <summary>Audio queue jobs are counted on <c>hotelagent.audio.jobs</c> by kind and outcome.</summary>
[Collection(AudioToolsCollection.Name)]
public sealed class AudioJobMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<HotelAgentMetrics>().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Kind, string Outcome)> _jobs = new();
    private readonly HotelAgentMetrics _metrics;

    public AudioJobMetricsTests()
    {
        _metrics = _services.GetRequiredService<HotelAgentMetrics>();
        _listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, _metrics.Meter) && i.Name == "hotelagent.audio.jobs")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? kind = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind")
                {
                    kind = tag.Value as string;
                }
                else if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            _jobs.Enqueue((kind ?? "?", outcome ?? "?"));
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private SynthesisJobHandler Handler(FakeVoiceNoteSender voice)
    {
        var options = new AudioOptions();
        var cache = new SynthesizedAudioCache(Options.Create(options), NullLogger<SynthesizedAudioCache>.Instance);
        return new SynthesisJobHandler(AudioTestSupport.Espeak(), cache, voice, TranscriptionJobHandlerTests.AllWorking(), Options.Create(options),
            NullLogger<SynthesisJobHandler>.Instance, _metrics);
    }

    private static SynthesisJob Job(string text) => new()
    {
        Channel = Channel.WhatsApp,
        GuestId = "+5491155550123",
        Text = text,
        Language = "es",
        IdempotencyKey = "wamid.METRICS:reply:0:voice:" + text.Length,
    };

    [Fact]
    public async Task A_sent_voice_note_counts_as_success_and_an_empty_reply_as_skipped()
    {
        var handler = Handler(new FakeVoiceNoteSender());

        Assert.True(await handler.HandleAsync(Job("¡Te esperamos!"), CancellationToken.None));
        Assert.False(await handler.HandleAsync(Job("   "), CancellationToken.None));

        Assert.Equal([("synthesize", "success"), ("synthesize", "skipped")], _jobs.ToArray());
    }

    [Fact]
    public async Task A_send_that_throws_counts_as_failure_and_still_throws_for_the_queue_retry()
    {
        var handler = Handler(new FakeVoiceNoteSender { FailuresBeforeSuccess = 1 });

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Job("Tu reserva quedó confirmada."), CancellationToken.None));

        Assert.Equal([("synthesize", "failure")], _jobs.ToArray());
    }
}
