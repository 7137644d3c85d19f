using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Audio;

/// <summary>
/// Bounded cache of synthesized voice notes keyed by (engine, voice, text): an in-memory LRU with a byte
/// budget, optionally backed by a folder (kept under its own byte budget, oldest files removed first).
/// </summary>
public sealed class SynthesizedAudioCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, byte[] Audio)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, byte[] Audio)> _lru = new();
    private readonly long _maxBytes;
    private readonly string? _directory;
    private readonly long _diskMaxBytes;
    private readonly ILogger<SynthesizedAudioCache> _logger;
    private long _bytes;

    public SynthesizedAudioCache(IOptions<AudioOptions> options, ILogger<SynthesizedAudioCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxBytes = options.Value.CacheMaxBytes;
        _diskMaxBytes = options.Value.DiskCacheMaxBytes;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(options.Value.CacheDirectory))
        {
            _directory = Path.GetFullPath(options.Value.CacheDirectory);
            Directory.CreateDirectory(_directory);
        }
    }

    /// <summary>Bytes held in memory.</summary>
    public long MemoryBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Entries held in memory.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The cache key: a hash of engine, voice and the exact text.</summary>
    public static string Key(string engine, string voice, string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{engine}\n{voice}\n{text.Trim()}"));
        return Convert.ToHexStringLower(hash);
    }

    public bool TryGet(string key, out byte[] audio)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                audio = node.Value.Audio;
                return true;
            }
        }

        if (_directory is not null)
        {
            var file = Path.Combine(_directory, key + ".ogg");
            try
            {
                if (File.Exists(file))
                {
                    audio = File.ReadAllBytes(file);
                    File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
                    AddToMemory(key, audio);
                    return true;
                }
            }
            catch (IOException ex)
            {
                Log.CacheIoFailed(_logger, ex);
            }
        }

        audio = [];
        return false;
    }

    public void Set(string key, byte[] audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        AddToMemory(key, audio);
        if (_directory is null || audio.Length > _diskMaxBytes)
        {
            return;
        }

        try
        {
            var file = Path.Combine(_directory, key + ".ogg");
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, audio);
            File.Move(temp, file, overwrite: true);
            TrimDisk();
        }
        catch (IOException ex)
        {
            Log.CacheIoFailed(_logger, ex);
        }
    }

    private void AddToMemory(string key, byte[] audio)
    {
        if (audio.Length > _maxBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_index.Remove(key, out var existing))
            {
                _lru.Remove(existing);
                _bytes -= existing.Value.Audio.Length;
            }

            _index[key] = _lru.AddFirst((key, audio));
            _bytes += audio.Length;
            while (_bytes > _maxBytes && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _index.Remove(last.Value.Key);
                _bytes -= last.Value.Audio.Length;
            }
        }
    }

    private void TrimDisk()
    {
        var files = new DirectoryInfo(_directory!).GetFiles("*.ogg").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        long total = 0;
        foreach (var file in files)
        {
            total += file.Length;
            if (total > _diskMaxBytes)
            {
                file.Delete();
            }
        }
    }
}
