using HotelAgent.Core.Audio;
using HotelAgent.Core.Health;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Queues;
using HotelAgent.Tests.Audio;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Health;

/// <summary>Readiness checks look at what they name when asked, not at what was true at start.</summary>
[Collection(AudioToolsCollection.Name)]
public sealed class ComponentChecksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-readiness-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_queue_check_reads_the_store_and_fails_when_it_cannot()
    {
        var store = new StandaloneQueueStore(Path.Combine(_dir, "queues.db"), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var check = new QueueStoreCheck(store);
        await store.EnqueueSynthesisAsync(new SynthesisJob { Channel = Channel.WhatsApp, GuestId = "+1", Text = "Hola", IdempotencyKey = "k" });

        var healthy = await check.CheckAsync(CancellationToken.None);
        Assert.True(healthy.Healthy, healthy.Detail);
        Assert.Equal("queues", healthy.Name);
        Assert.Contains("1 queued", healthy.Detail, StringComparison.Ordinal);

        store.Dispose();
        var broken = await check.CheckAsync(CancellationToken.None);
        Assert.False(broken.Healthy);
        Assert.True(broken.Critical);
        Assert.Contains("cannot be read", broken.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audio_check_reports_offline_synthesis_gone_once_espeak_ng_is_gone()
    {
        var espeak = Path.Combine(_dir, "espeak-ng");
        File.Copy(AudioToolsProbe.FindExecutable("espeak-ng", Environment.GetEnvironmentVariable("PATH") ?? string.Empty)!, espeak);
        var options = new AudioOptions { EspeakPath = espeak };
        var engine = AudioTestSupport.Espeak(options);
        var tools = new AudioToolsProbe(options).Probe();
        var status = new AudioStatus(true, CanTranscribe: false, CanSynthesize: true, "none", engine.EngineName, string.Empty, tools);
        var check = new AudioCheck(status, engine, Options.Create(options));

        var present = await check.CheckAsync(CancellationToken.None);
        Assert.True(present.Healthy, present.Detail);
        Assert.Contains("synthesis: " + engine.EngineName, present.Detail, StringComparison.Ordinal);

        File.Delete(espeak);
        var gone = await check.CheckAsync(CancellationToken.None);
        Assert.False(gone.Healthy);
        Assert.False(gone.Critical);
        Assert.Contains("synthesis: disabled", gone.Detail, StringComparison.Ordinal);
        Assert.Contains("espeak-ng", gone.Detail, StringComparison.Ordinal);
    }
}
