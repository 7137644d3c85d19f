using HotelAgent.Core.Audio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Audio;

public sealed class SynthesizedAudioCacheTests
{
    private static SynthesizedAudioCache Cache(AudioOptions options) => new(Options.Create(options), NullLogger<SynthesizedAudioCache>.Instance);

    [Fact]
    public void Key_depends_on_engine_voice_and_text()
    {
        var key = SynthesizedAudioCache.Key("espeak-ng", "es-419", "Hola");

        Assert.Equal(key, SynthesizedAudioCache.Key("espeak-ng", "es-419", " Hola "));
        Assert.NotEqual(key, SynthesizedAudioCache.Key("openai:gpt-4o-mini-tts", "es-419", "Hola"));
        Assert.NotEqual(key, SynthesizedAudioCache.Key("espeak-ng", "es", "Hola"));
        Assert.NotEqual(key, SynthesizedAudioCache.Key("espeak-ng", "es-419", "Hola!"));
    }

    [Fact]
    public void Least_recently_used_entries_are_evicted_beyond_the_byte_budget()
    {
        var cache = Cache(new AudioOptions { CacheMaxBytes = 300 });
        cache.Set("a", new byte[100]);
        cache.Set("b", new byte[100]);
        cache.Set("c", new byte[100]);
        Assert.True(cache.TryGet("a", out _)); // a is now the most recent

        cache.Set("d", new byte[100]);

        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("d", out _));
        Assert.Equal(300, cache.MemoryBytes);
    }

    [Fact]
    public void Entry_larger_than_the_budget_is_not_kept()
    {
        var cache = Cache(new AudioOptions { CacheMaxBytes = 50 });

        cache.Set("big", new byte[51]);

        Assert.False(cache.TryGet("big", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Disk_cache_survives_a_new_instance_and_stays_within_its_budget()
    {
        var dir = Directory.CreateTempSubdirectory("hotelagent-cache-test-").FullName;
        try
        {
            var options = new AudioOptions { CacheDirectory = dir, DiskCacheMaxBytes = 250 };
            var first = Cache(options);
            first.Set("k1", [1, 2, 3]);

            Assert.True(Cache(options).TryGet("k1", out var audio));
            Assert.Equal(new byte[] { 1, 2, 3 }, audio);

            first.Set("k2", new byte[120]);
            first.Set("k3", new byte[120]);
            var total = new DirectoryInfo(dir).GetFiles("*.ogg").Sum(f => f.Length);
            Assert.True(total <= 250, $"disk cache holds {total} bytes");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
