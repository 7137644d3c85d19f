using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Transcripts;

/// <summary>Conversation transcripts for staff (section <c>Transcripts</c>): how long they are kept and how much of each.</summary>
public sealed class TranscriptOptions
{
    public const string SectionName = "Transcripts";

    /// <summary>File name of the SQLite database under <c>HotelAgent__DataDirectory</c>.</summary>
    [Required]
    public string DatabaseFileName { get; set; } = "transcripts.db";

    /// <summary>
    /// Lines older than this many days are never shown and are purged (on start-up and at most hourly while writing).
    /// Fractions allowed. Transcripts hold what guests wrote (names, contacts), so they are always bounded.
    /// </summary>
    [Range(0.01, 365)]
    public double RetentionDays { get; set; } = 7;

    /// <summary>The most recent lines kept per conversation; older ones are dropped as new ones arrive.</summary>
    [Range(10, 10_000)]
    public int MaxLinesPerConversation { get; set; } = 200;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}
