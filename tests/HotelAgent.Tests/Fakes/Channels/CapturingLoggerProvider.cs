using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>Keeps every formatted log line (level, category, text) for assertions; a test can await a line as its signal.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();
    private readonly AwaitableCount _count = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>A typed logger writing here (for classes built by hand in tests).</summary>
    public ILogger<T> CreateLogger<T>() => new LoggerFactory([this]).CreateLogger<T>();

    /// <summary>Waits until a line matching <paramref name="match"/> was logged (the positive signal that the code got there).</summary>
    public async Task<(LogLevel Level, string Category, string Message)> WaitForAsync(Func<(LogLevel Level, string Category, string Message), bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Eventually.DefaultTimeout);
        while (true)
        {
            var seen = _count.Value;
            foreach (var entry in _entries)
            {
                if (match(entry))
                {
                    return entry;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("No matching log line. Logged:\n" + string.Join('\n', _entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
            }

            try
            {
                await _count.WaitForAsync(seen + 1, left);
            }
            catch (TimeoutException)
            {
                // One last look above, then the failure with what was logged.
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._entries.Enqueue((logLevel, category, formatter(state, exception)));
            owner._count.Increment();
        }
    }
}
