using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Queues;

/// <summary>Settings of the standalone on-disk queue (section <c>Queues</c>), mirroring the Functions host's queue trigger options.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queues";

    /// <summary>Runs the standalone queue processor as a hosted service. Turn off when the Functions host triggers the queue functions.</summary>
    public bool ProcessorEnabled { get; set; } = true;

    /// <summary>Deliveries before a message moves to <c>{queue}-poison</c> (host default 5).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a dequeued message stays invisible; renewed while its handler runs, so a crashed process frees it after this long.</summary>
    [Range(1, 3600)]
    public int VisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>First retry delay after a failure; doubles on each further failure.</summary>
    [Range(0, 3600)]
    public double RetryBackoffSeconds { get; set; } = 2;

    /// <summary>Upper bound of the retry delay.</summary>
    [Range(0, 86400)]
    public double MaxRetryBackoffSeconds { get; set; } = 60;

    /// <summary>Safety-net polling interval (new messages wake the processor at once in-process).</summary>
    [Range(10, 60000)]
    public int PollingIntervalMilliseconds { get; set; } = 2000;

    /// <summary>Handlers running at the same time across all queues (host <c>batchSize</c>).</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>File name of the SQLite queue store under <c>HotelAgent__DataDirectory</c>.</summary>
    [Required]
    public string FileName { get; set; } = "queues.db";

    internal TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(VisibilityTimeoutSeconds);

    internal TimeSpan PollingInterval => TimeSpan.FromMilliseconds(PollingIntervalMilliseconds);

    /// <summary>The delay before the next delivery after <paramref name="dequeueCount"/> failed deliveries.</summary>
    internal TimeSpan BackoffFor(int dequeueCount)
    {
        var seconds = RetryBackoffSeconds * Math.Pow(2, Math.Max(0, dequeueCount - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryBackoffSeconds));
    }
}
